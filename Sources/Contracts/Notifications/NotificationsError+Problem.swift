extension NotificationsError: ProblemConvertible {
    /// The HTTP answer to a notification-service refusal.
    public var problem: Problem? {
        switch self {
        case .notFound: .notFound
        case .invalidField(let field, let reason): .invalidField(field, reason)
        }
    }
}
