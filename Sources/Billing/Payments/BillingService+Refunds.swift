import Acquiring
import Contracts
import Foundation
import Kernel
import Logging
import Storage

// A refund through a provider is a saga like a payment: (1) one transaction takes the money off the balance into the
// provider's clearing account and records the refund as pending (the payment's refunded amount reserved, so the same
// money cannot be returned twice); (2) the provider is called with no transaction open, with its own idempotency key;
// (3) a second transaction marks it succeeded, or, when the provider refused, puts the money back. A refund whose
// answer was lost stays pending until the reconciliation asks the provider (or sends it again with the same key).
extension BillingService {
    /// Returns money of a succeeded payment, in full or in part: a balance payment back to the balance, cash and
    /// transfers at once, a provider payment through the provider.
    public func refund(_ input: RefundRequest, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment {
        try requirePositive(input.amount, field: "amount")
        guard !input.reason.isEmpty, input.reason.count <= 500 else {
            throw BillingError.invalidField(field: "reason", reason: "must be 1 to 500 characters")
        }
        let outcome = try await self.idempotency.perform("refund", caller: "operator:" + operatorID, token: idempotency) { tx in
            try await self.recordRefund(input, by: operatorID, in: tx)
        }
        if let refundID = outcome.pendingRefundID {
            try await sendRefund(id: refundID)
        }
        guard let payment = try await PaymentStore.find(id: input.paymentId, customerID: nil, currency: settings.currency, in: database) else {
            throw BillingError.notFound
        }
        return payment
    }

    /// What the first transaction of a refund did.
    struct RecordedRefund: Codable, Sendable {
        /// The payment.
        var paymentID: String
        /// The provider refund left pending, for step 2.
        var pendingRefundID: String?
    }

    private func recordRefund(_ input: RefundRequest, by operatorID: String, in tx: any SQLExecutor) async throws -> RecordedRefund {
        let (now, currency) = (clock.now(), settings.currency)
        guard let payment = try await PaymentStore.find(id: input.paymentId, customerID: nil, currency: currency, in: tx) else {
            throw BillingError.notFound
        }
        let amount = input.amount.minorUnits
        let clearing: LedgerAccount
        switch payment.method {
        case .balance:
            _ = try await refundToBalance(payment, amount: amount, at: now, in: tx)
            return RecordedRefund(paymentID: payment.id, pendingRefundID: nil)
        case .provider: clearing = .clearing("provider:" + (payment.provider ?? ""))
        case .cash, .bankTransfer: clearing = .clearing(payment.method.rawValue)
        }
        guard let refunded = try await PaymentStore.addRefund(id: payment.id, amount: amount, at: now, currency: currency, in: tx) else {
            throw BillingError.conflict(reason: "the payment is not refundable by that amount")
        }
        try await LedgerStore.post(
            LedgerPosting(
                kind: AccountTransaction.Kind.refund.rawValue, customerID: payment.customerId, paymentID: payment.id,
                description: LocalizedText(ru: "Возврат платежа", en: "Refund"),
                entries: [LedgerEntryDraft(.customer, -amount), LedgerEntryDraft(clearing, amount)], floor: .zero),
            at: now, in: tx)
        guard payment.method == .provider, let name = payment.provider else {
            try await Outbox.append(
                PaymentRefunded(paymentId: payment.id, customerId: payment.customerId, amount: input.amount, refundedTotal: refunded.refundedAmount),
                at: now, in: tx)
            return RecordedRefund(paymentID: payment.id, pendingRefundID: nil)
        }
        let id = "rf_" + Identifier<Payment>.generate().rawValue
        let receipt = try await refundReceipt(of: payment, amount: amount, in: tx)
        try await RefundStore.insert(
            RefundStore.Refund(
                id: id, paymentID: payment.id, customerID: payment.customerId, amount: amount, status: "pending", provider: name,
                providerRefundID: nil, providerKey: "lastmile-" + id,
                providerRequest: String(decoding: try JSONEncoder().encode(StoredRefundRequest(receipt: receipt)), as: UTF8.self), createdAt: now),
            reason: input.reason, createdBy: operatorID, in: tx)
        return RecordedRefund(paymentID: payment.id, pendingRefundID: id)
    }

    /// The receipt of a refund: the payment's own contact, one line returning the amount at the rate it was paid.
    private func refundReceipt(of payment: Payment, amount: Int64, in tx: any SQLExecutor) async throws -> FiscalReceipt? {
        guard let record = try await PaymentStore.providerRecord(id: payment.id, currency: settings.currency, in: tx),
            let stored = try? JSONDecoder().decode(StoredProviderRequest.self, from: Data(record.providerRequest.utf8)), let paid = stored.receipt,
            let first = paid.items.first
        else { return nil }
        let item = FiscalItem(
            description: String("Возврат: \(first.description)".prefix(FiscalReceipt.maximumDescriptionLength)), quantity: 1, price: money(amount),
            vat: first.vat, subject: first.subject, mode: first.mode)
        return FiscalReceipt(customer: paid.customer, items: [item], taxSystem: paid.taxSystem)
    }

    /// Sends a pending refund to its provider and records the answer; safe to repeat (the provider's key).
    @discardableResult
    func sendRefund(id: String) async throws -> Bool {
        guard let refund = try await RefundStore.find(id: id, in: database), refund.status == "pending",
            let provider = providers[refund.provider],
            let record = try await PaymentStore.providerRecord(id: refund.paymentID, currency: settings.currency, in: database)
        else { return false }
        let stored = try JSONDecoder().decode(StoredRefundRequest.self, from: Data(refund.providerRequest.utf8))
        let request = ProviderRefundRequest(
            refundID: refund.id, payment: record.reference, idempotencyKey: refund.providerKey, amount: money(refund.amount),
            receipt: stored.receipt)
        do {
            let answer = try await providers.call(provider, "createRefund") { provider async throws(ProviderError) in
                try await provider.createRefund(request)
            }
            try await apply(answer, toRefund: refund)
            return true
        } catch let error as ProviderError {
            if case .refused(let code, let message) = error {
                try await failRefund(refund, reason: "\(code): \(message)")
                throw BillingError.conflict(reason: "the provider refused the refund: \(message)")
            }
            logger.warning("provider refund pending", metadata: ["refund": "\(id)", "error": "\(error)"])
            throw BillingError.providerUnavailable(provider: refund.provider)
        }
    }

    /// Asks the provider what became of a pending refund, and sends it again when the provider never received it.
    func refreshRefund(id: String) async throws {
        guard let refund = try await RefundStore.find(id: id, in: database), refund.status == "pending",
            let provider = providers[refund.provider],
            let record = try await PaymentStore.providerRecord(id: refund.paymentID, currency: settings.currency, in: database)
        else { return }
        let reference = ProviderRefundReference(
            refundID: refund.id, providerRefundID: refund.providerRefundID, payment: record.reference, idempotencyKey: refund.providerKey,
            amount: money(refund.amount))
        let state = try await providers.call(provider, "findRefund") { provider async throws(ProviderError) in
            try await provider.findRefund(reference)
        }
        if let state { return try await apply(state, toRefund: refund) }
        try await sendRefund(id: id)
    }

    private func apply(_ state: ProviderRefund, toRefund refund: RefundStore.Refund) async throws {
        switch state.status {
        case .pending:
            try await database.transaction { tx in
                try await RefundStore.recordProviderID(id: refund.id, providerRefundID: state.providerRefundID, at: self.clock.now(), in: tx)
            }
        case .canceled:
            try await failRefund(refund, reason: "canceled by the provider")
        case .succeeded:
            let currency = settings.currency
            try await database.transaction { tx in
                let now = self.clock.now()
                guard
                    try await RefundStore.settle(
                        id: refund.id, status: "succeeded", providerRefundID: state.providerRefundID, reason: nil, at: now, in: tx),
                    let payment = try await PaymentStore.find(id: refund.paymentID, customerID: nil, currency: currency, in: tx)
                else { return }
                try await Outbox.append(
                    PaymentRefunded(
                        paymentId: payment.id, customerId: payment.customerId, amount: self.money(refund.amount),
                        refundedTotal: payment.refundedAmount),
                    at: now, in: tx)
            }
        }
    }

    /// A refund the provider refused: the money goes back to the balance and the payment's refundable amount returns.
    private func failRefund(_ refund: RefundStore.Refund, reason: String) async throws {
        let currency = settings.currency
        try await database.transaction { tx in
            let now = self.clock.now()
            guard try await RefundStore.settle(id: refund.id, status: "failed", providerRefundID: nil, reason: reason, at: now, in: tx) else {
                return
            }
            _ = try await PaymentStore.removeRefund(id: refund.paymentID, amount: refund.amount, at: now, currency: currency, in: tx)
            try await LedgerStore.post(
                LedgerPosting(
                    kind: AccountTransaction.Kind.refund.rawValue, customerID: refund.customerID, paymentID: refund.paymentID,
                    description: LocalizedText(ru: "Возврат отклонён банком", en: "Refund declined by the bank"),
                    entries: [LedgerEntryDraft(.clearing("provider:" + refund.provider), -refund.amount), LedgerEntryDraft(.customer, refund.amount)]),
                at: now, in: tx)
            try await self.applyDebt(customerID: refund.customerID, at: now, in: tx)
        }
    }
}
