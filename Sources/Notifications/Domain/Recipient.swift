import Foundation

/// Whom a notification is for, as the event names them.
public enum RecipientRef: Hashable, Sendable {
    /// A customer (by customer id): billing's and support's events.
    case customer(String)
    /// A user (by user id): operators, and anyone auth's events name.
    case user(String)

    /// `customer` or `user`, as stored.
    var kind: String {
        switch self {
        case .customer: "customer"
        case .user: "user"
        }
    }

    /// The id, as stored.
    var id: String {
        switch self {
        case .customer(let id), .user(let id): id
        }
    }

    init?(kind: String, id: String) {
        switch kind {
        case "customer": self = .customer(id)
        case "user": self = .user(id)
        default: return nil
        }
    }
}

/// A person a notification is for, with the addresses it can reach them at.
public struct Recipient: Sendable, Hashable {
    /// Their user account (devices, preferences and the inbox are kept by it).
    public var userID: String
    /// Their customer card, for customers.
    public var customerID: String?
    /// How they are addressed.
    public var name: String
    /// Their e-mail, if known.
    public var email: String?
    /// Their phone, if known.
    public var phone: String?
    /// `ru` or `en`.
    public var locale: String

    /// Creates a recipient.
    public init(userID: String, customerID: String?, name: String, email: String?, phone: String?, locale: String) {
        self.userID = userID
        self.customerID = customerID
        self.name = name
        self.email = email
        self.phone = phone
        self.locale = locale
    }
}

/// Finds the people events name. The service asks it outside any transaction and caches nothing it cannot afford
/// to be a minute late on.
public protocol RecipientDirectory: Sendable {
    /// The person, or nil when there is no such customer or user (any more).
    func recipient(_ ref: RecipientRef) async throws -> Recipient?
}
