import HTTPTypes

extension SupportError: ProblemConvertible {
    /// The HTTP answer to a support-service refusal.
    public var problem: Problem? {
        switch self {
        case .notFound:
            .notFound
        case .agentNotFound:
            Problem(.notFound, code: "agent-not-found", title: "No such operator", detail: "This user is not an operator of the support desk")
        case .invalidTransition(let from, let to):
            Problem(
                .conflict, code: "invalid-transition", title: "Not allowed now",
                detail: "A ticket cannot move from \(from.rawValue) to \(to.rawValue)")
        case .agentUnavailable(let reason):
            Problem(.conflict, code: "agent-unavailable", title: "Operator unavailable", detail: reason)
        case .invalidField(let field, let reason):
            .invalidField(field, reason)
        }
    }
}
