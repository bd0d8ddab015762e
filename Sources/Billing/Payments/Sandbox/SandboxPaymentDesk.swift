import Contracts
import Foundation
import Kernel

/// What the sandbox page shows of a payment.
public struct SandboxPage: Sendable, Hashable {
    /// The payment.
    public var paymentID: String
    /// Its amount.
    public var amount: Money
    /// Its standing; the page offers the buttons only while it is pending.
    public var status: PaymentStatus

    /// Creates the page's data.
    public init(paymentID: String, amount: Money, status: PaymentStatus) {
        self.paymentID = paymentID
        self.amount = amount
        self.status = status
    }
}

/// What the sandbox provider's page asks of billing. Both calls take the page token from the payment's confirmation
/// link, which only the paying customer was given; without it the payment does not exist for the page.
public protocol SandboxPaymentDesk: Sendable {
    /// The page's data for a payment made through the sandbox provider.
    func sandboxPage(paymentID: String, token: String?) async throws -> SandboxPage
    /// The customer pressed "pay" (`succeeded`) or "decline": the sandbox "bank" decides, then sends its signed
    /// notification exactly as a provider's webhook arrives; answers the page's new data.
    func decideSandboxPayment(paymentID: String, token: String?, succeeded: Bool) async throws -> SandboxPage
}

extension BillingService: SandboxPaymentDesk {
    /// The page's data, when `token` is the payment's page token.
    public func sandboxPage(paymentID: String, token: String?) async throws -> SandboxPage {
        guard let sandbox = providers.sandbox, sandbox.verifyPageToken(token, paymentID: paymentID),
            let payment = try await PaymentStore.find(id: paymentID, customerID: nil, currency: settings.currency, in: database),
            payment.provider == sandbox.name
        else { throw BillingError.notFound }
        return SandboxPage(paymentID: payment.id, amount: payment.amount, status: payment.status)
    }

    /// Decides the payment at the sandbox "bank" and delivers its signed notification.
    public func decideSandboxPayment(paymentID: String, token: String?, succeeded: Bool) async throws -> SandboxPage {
        let page = try await sandboxPage(paymentID: paymentID, token: token)
        guard page.status == .pending, let sandbox = providers.sandbox else { return page }
        if try await sandbox.decide(paymentID: paymentID, succeeded: succeeded) {
            let notification = sandbox.notification(paymentID: paymentID)
            _ = try await handleProviderNotification(
                ProviderNotificationInput(
                    provider: sandbox.name, body: notification.body, headers: [SandboxProvider.signatureHeader: notification.signature]))
        }
        return try await sandboxPage(paymentID: paymentID, token: token)
    }
}
