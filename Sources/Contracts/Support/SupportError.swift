/// Every way a support-service operation can be refused; each says its HTTP answer (`SupportError+Problem.swift`).
public enum SupportError: Error, Sendable, Equatable, Codable {
    /// No such ticket (or not the viewer's).
    case notFound
    /// No such operator.
    case agentNotFound
    /// The workflow does not allow this move.
    case invalidTransition(from: TicketStatus, to: TicketStatus)
    /// The operator cannot take more tickets or lacks the skill.
    case agentUnavailable(reason: String)
    /// A file was refused: `kind` is `empty`, `too-large`, `too-many` or `unsupported-type`.
    case attachmentRefused(kind: String, reason: String)
    /// A rating link that is not this ticket's, or a rating before resolution.
    case ratingRefused(reason: String)
    /// A field is wrong; says which and why.
    case invalidField(field: String, reason: String)
}

extension SupportError: RemoteError {
    /// Travels between processes under this name.
    public static let remoteName = "SupportError"
}
