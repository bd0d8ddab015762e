import Contracts

/// What the sandbox provider's page asks of billing: a payment's page data, and the delivery of the signed notification
/// its buttons stand for, exactly as a provider's webhook arrives.
public protocol SandboxPaymentDesk: Sendable {
    /// The page's data for a payment made through the sandbox provider; any customer's when `owner` is nil.
    func sandboxConfirmationPage(paymentID: String, of owner: AccountOwner?) async throws -> SandboxProvider.ConfirmationPage
    /// Verifies and applies a provider's notification.
    func handleProviderNotification(provider: String, body: [UInt8], signature: String?) async throws
}

extension BillingService: SandboxPaymentDesk {}
