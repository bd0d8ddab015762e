import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Whether the account may take a promised payment now, and on what terms.
    public func promisedPaymentOffer(of owner: AccountOwner) async throws -> PromisedPaymentOffer {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await offer(customerID: customerID, at: clock.now(), in: database)
    }

    /// Takes a promised payment: customer +amount against promised credit; lifts a suspension at once.
    public func takePromisedPayment(of owner: AccountOwner, amount: Money, idempotency: IdempotencyToken) async throws -> PromisedPayment {
        try requirePositive(amount, field: "amount")
        return try await self.idempotency.perform("promised-payment", caller: Self.caller(owner), token: idempotency) { tx in
            let now = self.clock.now()
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            try await AccountStore.lock(customerID: customerID, in: tx)
            let offer = try await self.offer(customerID: customerID, at: now, in: tx)
            if let reason = offer.reason { throw BillingError.promisedPaymentRefused(reason: reason) }
            guard amount <= offer.maximumAmount else { throw BillingError.promisedPaymentRefused(reason: "amount") }
            let promised = PromisedPayment(
                id: Identifier<PromisedPayment>.generate().rawValue, customerId: customerID, amount: amount, takenAt: now,
                expiresAt: now.addingTimeInterval(TimeInterval(self.settings.promisedPaymentDays) * 86_400), isOpen: true)
            do {
                try await tx.query(
                    "INSERT INTO promised_payments (id, customer_id, amount, taken_at, expires_at) VALUES ($1, $2, $3, $4, $5)", promised.id,
                    customerID, amount.minorUnits, now, promised.expiresAt)
            } catch StorageError.uniqueViolation {
                throw BillingError.promisedPaymentRefused(reason: "open")
            }
            try await LedgerStore.post(
                LedgerPosting(
                    kind: AccountTransaction.Kind.promisedCredit.rawValue, customerID: customerID,
                    description: LocalizedText(ru: "Обещанный платёж", en: "Promised payment"),
                    entries: [LedgerEntryDraft(.customer, amount.minorUnits), LedgerEntryDraft(.promisedCredit, -amount.minorUnits)]), at: now, in: tx
            )
            try await Outbox.append(
                PromisedPaymentTaken(promisedPaymentId: promised.id, customerId: customerID, amount: amount, expiresAt: promised.expiresAt), at: now,
                in: tx)
            try await self.applyDebt(customerID: customerID, at: now, in: tx)
            return promised
        }
    }

    func offer(customerID: String, at now: Date, in executor: any SQLExecutor) async throws -> PromisedPaymentOffer {
        let maximum = settings.promisedPaymentMaximum
        let days = settings.promisedPaymentDays
        let cooldown = TimeInterval(settings.promisedPaymentCooldownDays) * 86_400
        let rows = try await executor.query(
            "SELECT id, amount, taken_at, expires_at, closed_at FROM promised_payments WHERE customer_id = $1 ORDER BY taken_at DESC LIMIT 1",
            customerID)
        if let last = rows.first {
            let promised = PromisedPayment(
                id: try last.string("id"), customerId: customerID, amount: money(try last.int64("amount")), takenAt: try last.date("taken_at"),
                expiresAt: try last.date("expires_at"), isOpen: try last.optionalDate("closed_at") == nil)
            if promised.isOpen {
                return PromisedPaymentOffer(
                    isAvailable: false, reason: "open", maximumAmount: maximum, days: days, current: promised,
                    nextAvailableAt: promised.takenAt.addingTimeInterval(cooldown))
            }
            let next = promised.takenAt.addingTimeInterval(cooldown)
            if next > now {
                return PromisedPaymentOffer(
                    isAvailable: false, reason: "too-soon", maximumAmount: maximum, days: days, current: nil, nextAvailableAt: next)
            }
        }
        let balance = try await AccountStore.balance(customerID: customerID, in: executor)
        let unpaid =
            try await executor.first(
                "SELECT COUNT(*) AS n FROM invoices WHERE customer_id = $1 AND status = 'issued' AND amount_paid < total", customerID)?.int("n") ?? 0
        if !balance.balance.isNegative, unpaid == 0 {
            return PromisedPaymentOffer(
                isAvailable: false, reason: "not-needed", maximumAmount: maximum, days: days, current: nil, nextAvailableAt: nil)
        }
        return PromisedPaymentOffer(isAvailable: true, reason: nil, maximumAmount: maximum, days: days, current: nil, nextAvailableAt: nil)
    }
}
