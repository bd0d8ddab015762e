import Foundation

/// An online payment provider (an acquiring bank, a payment gateway) behind one interface.
///
/// Every call that changes something at the provider carries an idempotency key of the provider's own, derived by
/// billing from the customer's key, so that a call repeated after a timeout or a crash never takes or returns money
/// twice. Callers never call a provider inside a database transaction. A provider's answers are its state as the
/// provider reports it; billing decides what that means for the ledger.
public protocol PaymentProvider: Sendable {
    /// The provider's name in orders, routes and settings (`yookassa`, `tbank`, `sandbox`).
    var name: String { get }
    /// What the provider offers customers, for `GET /api/v1/billing/providers`.
    var offer: ProviderOffer { get }

    /// Creates a payment; the answer says where the customer confirms it, or that it succeeded already (a saved
    /// method). The same `request.idempotencyKey` creates nothing new and answers the first payment's state.
    func createPayment(_ request: ProviderPaymentRequest) async throws(ProviderError) -> ProviderPayment
    /// The provider's current state of a payment, found by its id or, when the provider never answered the
    /// creation, by ours; `nil` when the provider has no such payment.
    func findPayment(_ reference: ProviderPaymentReference) async throws(ProviderError) -> ProviderPayment?
    /// Cancels a payment that has not succeeded (the customer left, it waits for capture); answers its state.
    func cancelPayment(_ reference: ProviderPaymentReference, idempotencyKey: String) async throws(ProviderError) -> ProviderPayment
    /// Returns money of a succeeded payment, in part or in full, with its fiscal receipt.
    func createRefund(_ request: ProviderRefundRequest) async throws(ProviderError) -> ProviderRefund
    /// The provider's current state of a refund; `nil` when the provider has no such refund.
    func findRefund(_ reference: ProviderRefundReference) async throws(ProviderError) -> ProviderRefund?
    /// Reads an incoming notification: verifies its signature where the provider signs them and says which
    /// payment or refund it is about. Billing never trusts its content: it asks the provider for the state.
    func notification(_ notification: ProviderNotification) throws(ProviderError) -> ProviderNotice
    /// Every payment and refund the provider holds that was created in `interval`, for reconciliation.
    func operations(in interval: DateInterval) async throws(ProviderError) -> [ProviderOperation]
}
