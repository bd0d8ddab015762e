import HTTPTypes

extension CustomerError: ProblemConvertible {
    /// The HTTP answer to a customer-service refusal.
    public var problem: Problem? {
        switch self {
        case .notFound:
            .notFound
        case .alreadyRegistered:
            Problem(.conflict, code: "already-registered", title: "Already registered", detail: "This user account has a customer already")
        case .invalidField(let field, let reason):
            .invalidField(field, reason)
        }
    }
}
