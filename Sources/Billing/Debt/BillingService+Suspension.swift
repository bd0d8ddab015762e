import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Suspends active subscriptions when the balance is below minus the credit limit, or resumes suspended ones when
    /// the balance covers their days ahead; each change reports its event. Call it in the transaction that moved the
    /// balance.
    ///
    /// Suspended days are not charged: suspending credits the days from today on that invoices charged already, and
    /// resuming charges the days from today on of the periods invoiced meanwhile (the run leaves an open suspension's
    /// days out). A subscription resumes only when the balance stays at or above minus the credit limit after that
    /// charge, so a suspension's credit cannot lift the suspension by itself.
    func applyDebt(customerID: String, at time: Date, in tx: any SQLExecutor) async throws {
        // A no-op UPDATE takes the account's row lock and reads its latest balance, so a payment committing meanwhile
        // cannot be overtaken by a decision made on the balance before it.
        guard
            let account = try await tx.first(
                "UPDATE billing_accounts SET balance = balance WHERE customer_id = $1 RETURNING balance, credit_limit, currency", customerID)
        else { return }
        let balance = try account.int64("balance")
        let limit = try account.int64("credit_limit")
        let currency = Currency(code: try account.string("currency")) ?? .rub
        let today = LocalDate(containing: time, in: settings.timeZone)
        let ahead = SubscriptionTerms.DayRange(from: today, before: SubscriptionTerms.untilFurtherNotice)
        if balance < -limit {
            let active = try await tx.query(
                "SELECT id FROM subscriptions WHERE customer_id = $1 AND status = 'active' ORDER BY id", customerID
            ).map { try $0.string("id") }
            guard !active.isEmpty else { return }
            var credit: (amount: Int64, vat: Int64) = (0, 0)
            for id in active {
                let charged = try await billedAmount(subscriptionID: id, window: ahead, in: tx)
                credit = (credit.amount + charged.amount, credit.vat + charged.vat)
                try await DebtStore.openSuspension(subscriptionID: id, from: today, at: time, in: tx)
                try await tx.query("UPDATE subscriptions SET status = 'suspended' WHERE id = $1", id)
            }
            if credit.amount > 0 {
                try await postCredit(
                    credit, customerID: customerID,
                    description: LocalizedText(ru: "Возврат за дни приостановки", en: "Credit for suspended days"), at: time, in: tx)
            }
            for id in active {
                try await Outbox.append(
                    SubscriptionSuspended(
                        subscriptionId: id, customerId: customerID,
                        balance: Money(minorUnits: try Self.checkedSum(balance, credit.amount), currency: currency)),
                    at: time, in: tx)
            }
        } else {
            let suspended = try await tx.query(
                "SELECT id FROM subscriptions WHERE customer_id = $1 AND status = 'suspended' ORDER BY id", customerID
            ).map { try $0.string("id") }
            guard !suspended.isEmpty else { return }
            var charge: (amount: Int64, vat: Int64) = (0, 0)
            var unbilled: [(period: BillingPeriod, line: PricedLine)] = []
            for terms in try await SubscriptionStore.terms(ids: suspended, in: tx) {
                var resumed = terms
                resumed.pauses = terms.pauses.compactMap { range in
                    guard range.before == SubscriptionTerms.untilFurtherNotice else { return range }
                    return range.from < today ? SubscriptionTerms.DayRange(from: range.from, before: today) : nil
                }
                let due = try await billedAmount(terms: resumed, window: ahead, in: tx)
                charge = (charge.amount + due.amount, charge.vat + due.vat)
                // Periods the run passed while the suspension was open got no line for it: their days from today on
                // are charged now.
                let since = terms.pauses.first { $0.before == SubscriptionTerms.untilFurtherNotice }?.from ?? today
                unbilled += try await unbilledLines(terms: resumed, from: since, in: tx)
            }
            let total = try unbilled.reduce(charge.amount) { try Self.checkedSum($0, $1.line.amount) }
            let (after, overflow) = balance.subtractingReportingOverflow(total)
            guard !overflow, after >= -limit else { return }
            for id in suspended {
                try await DebtStore.closeSuspension(subscriptionID: id, before: today, in: tx)
                try await tx.query("UPDATE subscriptions SET status = 'active' WHERE id = $1", id)
            }
            if charge.amount > 0 {
                try await postCharge(
                    charge, customerID: customerID,
                    description: LocalizedText(ru: "Оплата дней после возобновления", en: "Charge for the days after resumption"), at: time, in: tx)
            }
            try await self.charge(unbilled, customerID: customerID, at: time, in: tx)
            for id in suspended {
                try await Outbox.append(SubscriptionResumed(subscriptionId: id, customerId: customerID), at: time, in: tx)
            }
        }
    }

    /// `a + b`, or a ``BillingError`` where the sum would leave `Int64`.
    static func checkedSum(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw BillingError.conflict(reason: "the balance would leave the range an account can hold") }
        return sum
    }
}
