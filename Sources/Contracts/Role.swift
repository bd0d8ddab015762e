/// Who a user is to the platform. Stored by name; the names are part of the API.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// A subscriber using the personal account.
    case customer
    /// An operator answering tickets.
    case supportAgent = "support_agent"
    /// An operator handling money: manual payments, refunds, billing runs.
    case billingManager = "billing_manager"
    /// Full control, including users and roles.
    case admin
}
