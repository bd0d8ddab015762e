import Contracts
import Foundation
import Kernel
import Storage

/// What one debt sweep changed.
public struct DebtSweepReport: Sendable, Hashable {
    /// Invoices that became overdue (and were debited from the balance).
    public var overdueInvoices = 0
    /// Promised payments that expired.
    public var expiredPromisedPayments = 0
    /// Subscriptions whose pause started or ended, or whose booked tariff came into force.
    public var subscriptionChanges = 0
    /// Accounts whose debt standing was rechecked.
    public var accountsChecked = 0

    /// An empty report: nothing changed.
    public init() {}
}

extension BillingService {
    /// Runs the periodic work of debt: overdue invoices, expired promised payments, pauses and booked tariffs, and
    /// suspension or resumption of every account whose standing disagrees with its balance. Each change is its own
    /// transaction with its ledger posting and events; running it again changes nothing more.
    public func sweepDebt() async throws -> DebtSweepReport {
        var report = DebtSweepReport()
        let (now, today) = (clock.now(), today)
        let cutoff = today.adding(days: -settings.graceDays)
        while true {
            let due = try await database.query(
                "SELECT id FROM invoices WHERE status = 'issued' AND due_on < $1 ORDER BY due_on, id LIMIT 200", cutoff.dayNumber)
            for row in due where try await markOverdue(invoiceID: try row.string("id"), at: now) { report.overdueInvoices += 1 }
            if due.count < 200 { break }
        }
        let expired = try await database.query(
            "SELECT id FROM promised_payments WHERE closed_at IS NULL AND expires_at <= $1 ORDER BY expires_at", now)
        for row in expired where try await expirePromised(id: try row.string("id"), at: now) { report.expiredPromisedPayments += 1 }
        let (changes, unpaused) = try await applyCalendar(today: today)
        report.subscriptionChanges = changes
        for customerID in unpaused {
            try await database.transaction { tx in try await self.applyDebt(customerID: customerID, at: now, in: tx) }
        }
        let disagreeing = try await database.query(
            """
            SELECT a.customer_id FROM billing_accounts a WHERE
                (a.balance < -a.credit_limit AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = a.customer_id AND s.status = 'active'))
                OR (a.balance >= -a.credit_limit
                    AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = a.customer_id AND s.status = 'suspended'))
            """, [])
        for row in disagreeing {
            let customerID = try row.string("customer_id")
            try await database.transaction { tx in try await self.applyDebt(customerID: customerID, at: now, in: tx) }
            report.accountsChecked += 1
        }
        return report
    }

    /// Marks an invoice overdue once: `invoice.overdue`, and its unpaid rest moves onto the balance as debt.
    private func markOverdue(invoiceID: String, at now: Date) async throws -> Bool {
        try await database.transaction { tx in
            guard
                let invoice = try await tx.first(
                    "SELECT customer_id, number, total, amount_paid, due_on FROM invoices WHERE id = $1 AND status = 'issued'", invoiceID)
            else { return false }
            let (customerID, paid) = (try invoice.string("customer_id"), try invoice.int64("amount_paid"))
            try await AccountStore.lock(customerID: customerID, in: tx)
            let rest = try invoice.int64("total") - paid
            // The paid amount is part of the condition, so a payment between the read and the update wins.
            guard
                try await !tx.query(
                    """
                    UPDATE invoices SET status = 'overdue', amount_paid = total, overdue_at = $1
                    WHERE id = $2 AND status = 'issued' AND amount_paid = $3 RETURNING id
                    """,
                    now, invoiceID, paid
                ).isEmpty
            else { return false }
            let number = try invoice.string("number")
            if rest > 0 {
                try await LedgerStore.post(
                    LedgerPosting(
                        kind: AccountTransaction.Kind.charge.rawValue, customerID: customerID, invoiceID: invoiceID,
                        description: LocalizedText(
                            ru: "Просроченный счёт \(number) списан с баланса", en: "Overdue invoice \(number) charged to the balance"),
                        entries: [LedgerEntryDraft(.customer, -rest), LedgerEntryDraft(.receivable, rest, invoiceID: invoiceID)]), at: now, in: tx)
            }
            try await Outbox.append(
                InvoiceOverdue(
                    invoiceId: invoiceID, customerId: customerID, amountDue: self.money(rest), dueOn: LocalDate(dayNumber: try invoice.int("due_on"))),
                at: now, in: tx)
            try await self.applyDebt(customerID: customerID, at: now, in: tx)
            return true
        }
    }

    /// Ends a promised payment: the credit is taken back from the balance, suspending service if that leaves debt.
    private func expirePromised(id: String, at now: Date) async throws -> Bool {
        try await database.transaction { tx in
            guard let open = try await tx.first("SELECT customer_id FROM promised_payments WHERE id = $1", id) else { return false }
            try await AccountStore.lock(customerID: try open.string("customer_id"), in: tx)
            guard
                let row = try await tx.first(
                    "UPDATE promised_payments SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL RETURNING customer_id, amount", now, id)
            else { return false }
            let (customerID, amount) = (try row.string("customer_id"), try row.int64("amount"))
            try await LedgerStore.post(
                LedgerPosting(
                    kind: AccountTransaction.Kind.promisedExpiry.rawValue, customerID: customerID,
                    description: LocalizedText(ru: "Окончание обещанного платежа", en: "Promised payment ended"),
                    entries: [LedgerEntryDraft(.customer, -amount), LedgerEntryDraft(.promisedCredit, amount)]), at: now, in: tx)
            try await Outbox.append(
                PromisedPaymentExpired(promisedPaymentId: id, customerId: customerID, amount: self.money(amount)), at: now, in: tx)
            try await self.applyDebt(customerID: customerID, at: now, in: tx)
            return true
        }
    }

    /// Starts and ends pauses and brings booked tariffs into force, as of `today`; returns the customers whose pause ended.
    private func applyCalendar(today: LocalDate) async throws -> (changes: Int, unpaused: Set<String>) {
        try await database.transaction { tx in
            let day = today.dayNumber
            let pausing = """
                EXISTS (SELECT 1 FROM subscription_pauses p WHERE p.subscription_id = subscriptions.id AND p.starts_on <= $1 AND p.ends_before > $1)
                """
            var changed = try await tx.query("UPDATE subscriptions SET status = 'paused' WHERE status = 'active' AND \(pausing) RETURNING id", day)
                .count
            let unpaused = try await tx.query(
                "UPDATE subscriptions SET status = 'active' WHERE status = 'paused' AND NOT \(pausing) RETURNING customer_id", day)
            changed += unpaused.count
            changed += try await tx.query(
                """
                UPDATE subscriptions SET tariff_id = next_tariff_id, next_tariff_id = NULL
                WHERE next_tariff_id IS NOT NULL AND EXISTS (SELECT 1 FROM subscription_tariffs t WHERE t.subscription_id = subscriptions.id
                    AND t.tariff_id = subscriptions.next_tariff_id AND t.effective_from <= $1)
                RETURNING id
                """, day
            ).count
            return (changed, Set(try unpaused.map { try $0.string("customer_id") }))
        }
    }
}
