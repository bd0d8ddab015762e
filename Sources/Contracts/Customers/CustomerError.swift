/// Every way a customer-service operation can be refused; each says its HTTP answer (`CustomerError+Problem.swift`).
public enum CustomerError: Error, Sendable, Equatable, Codable {
    /// The customer or contract does not exist, or is not the caller's.
    case notFound
    /// The user account has a customer already.
    case alreadyRegistered
    /// The value of a field breaks a rule; `field` names it.
    case invalidField(field: String, reason: String)
}

extension CustomerError: RemoteError {
    /// Travels between processes under this name.
    public static let remoteName = "CustomerError"
}
