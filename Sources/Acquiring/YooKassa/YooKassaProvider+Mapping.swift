import Foundation
import Kernel

extension YooKassaProvider {
    func payment(from wire: YooKassaWire.Payment) throws(ProviderError) -> ProviderPayment {
        guard let status = ProviderPaymentStatus(rawValue: wire.status) else {
            throw .outcomeUnknown("a payment in an unknown status: \(wire.status)")
        }
        guard let amount = wire.amount.money else { throw .outcomeUnknown("a payment amount we cannot read: \(wire.amount.value)") }
        var confirmation: ProviderConfirmation?
        if status == .pending, let wireConfirmation = wire.confirmation {
            if let url = wireConfirmation.confirmationURL {
                confirmation = .redirect(url: url)
            } else if let data = wireConfirmation.confirmationData {
                confirmation = .qrCode(payload: data)
            }
        }
        var saved: SavedMethodDetails?
        if status == .succeeded, let method = wire.paymentMethod, method.saved {
            saved = SavedMethodDetails(token: method.id, title: Self.title(of: method), expires: Self.expiry(of: method.card))
        }
        let failure = wire.cancellationDetails.map { [$0.party, $0.reason].compactMap { $0 }.joined(separator: ": ") }
        return ProviderPayment(
            providerPaymentID: wire.id, paymentID: wire.metadata?[Self.paymentIDKey], status: status, amount: amount, confirmation: confirmation,
            savedMethod: saved, failureReason: status == .canceled ? failure : nil)
    }

    func refund(from wire: YooKassaWire.Refund) throws(ProviderError) -> ProviderRefund {
        guard let status = ProviderRefundStatus(rawValue: wire.status) else { throw .outcomeUnknown("a refund in an unknown status: \(wire.status)") }
        guard let amount = wire.amount.money else { throw .outcomeUnknown("a refund amount we cannot read: \(wire.amount.value)") }
        return ProviderRefund(providerRefundID: wire.id, status: status, amount: amount)
    }

    func operation(from wire: YooKassaWire.Payment) throws(ProviderError) -> ProviderOperation {
        let payment = try payment(from: wire)
        let succeeded: Bool? =
            switch payment.status {
            case .succeeded: true
            case .canceled: false
            case .pending, .waitingForCapture: nil
            }
        return ProviderOperation(
            kind: .payment, providerID: wire.id, providerPaymentID: wire.id, paymentID: payment.paymentID, amount: payment.amount,
            succeeded: succeeded,
            createdAt: try createdAt(wire.createdAt))
    }

    func operation(from wire: YooKassaWire.Refund) throws(ProviderError) -> ProviderOperation {
        let refund = try refund(from: wire)
        let succeeded: Bool? =
            switch refund.status {
            case .succeeded: true
            case .canceled: false
            case .pending: nil
            }
        return ProviderOperation(
            kind: .refund, providerID: wire.id, providerPaymentID: wire.paymentID, paymentID: wire.metadata?[Self.paymentIDKey],
            amount: refund.amount,
            succeeded: succeeded, createdAt: try createdAt(wire.createdAt))
    }

    private func createdAt(_ text: String) throws(ProviderError) -> Date {
        guard let date = Self.date(text) else { throw .outcomeUnknown("a created_at we cannot read: \(text)") }
        return date
    }

    /// `Visa •••• 4242` for a card, YooKassa's own title otherwise.
    private static func title(of method: YooKassaWire.PaymentMethod) -> String {
        if let card = method.card, let last4 = card.last4 { return "\(card.cardType ?? "Card") •••• \(last4)" }
        if let title = method.title { return title }
        return method.type == "sbp" ? "СБП" : method.type
    }

    /// `2027-03` from the card's month and year.
    private static func expiry(of card: YooKassaWire.Card?) -> String? {
        guard let month = card?.expiryMonth, let year = card?.expiryYear, month.count == 2, year.count == 4 else { return nil }
        return "\(year)-\(month)"
    }
}
