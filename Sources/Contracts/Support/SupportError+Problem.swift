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
        case .attachmentRefused(let kind, let reason):
            switch kind {
            case "too-large": Problem(.contentTooLarge, code: "attachment-too-large", title: "File too large", detail: reason)
            case "unsupported-type": Problem(.unsupportedMediaType, code: "attachment-type", title: "File type not accepted", detail: reason)
            case "too-many": Problem(.conflict, code: "too-many-attachments", title: "Too many files", detail: reason)
            default: .invalidField("file", reason)
            }
        case .ratingRefused(let reason):
            Problem(.forbidden, code: "rating-refused", title: "Rating not accepted", detail: reason)
        case .invalidField(let field, let reason):
            .invalidField(field, reason)
        }
    }
}
