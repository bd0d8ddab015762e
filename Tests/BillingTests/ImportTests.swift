import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Bulk import of accounts and subscriptions", .serialized)
struct ImportTests {
    /// One subscriber of the scenario: a customer's name, tariff and first day; a customer may appear twice.
    struct Plan: Sendable {
        var name: String
        var tariff: Tariff
        var startsOn: String
    }

    /// The same subscribers made one by one (customers `a-…`) and imported at once (`b-…`), after a run of November:
    /// new accounts starting in December (set-based), one with two subscriptions, ones starting in November (charged
    /// at once, one suspended for the debt), one with both, and accounts open before. The rows, ledger and events of
    /// both must be the same but for ids and times, and so must December's run.
    @Test(arguments: DatabaseKind.available)
    func importWritesWhatOneByOneWrites(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let cheap = try await h.tariff(price: 620_00)
            let limited = try await h.tariff(price: 850_00, creditLimit: 300_00)
            _ = try await h.run("2026-11")
            let plans = [
                Plan(name: "fresh", tariff: cheap, startsOn: "2026-12-05"),
                Plan(name: "limited", tariff: limited, startsOn: "2026-12-01"),
                Plan(name: "double", tariff: cheap, startsOn: "2026-12-10"),
                Plan(name: "double", tariff: limited, startsOn: "2026-12-15"),
                Plan(name: "missed", tariff: cheap, startsOn: "2026-11-10"),
                Plan(name: "missed-within-limit", tariff: limited, startsOn: "2026-11-25"),
                Plan(name: "mixed", tariff: cheap, startsOn: "2026-12-03"),
                Plan(name: "mixed", tariff: cheap, startsOn: "2026-11-15"),
                Plan(name: "existing", tariff: limited, startsOn: "2026-12-02"),
                Plan(name: "existing-missed", tariff: limited, startsOn: "2026-11-26"),
            ]
            for group in ["a-", "b-"] {
                for name in ["existing", "existing-missed"] {
                    _ = try await h.billing.openAccount(customerID: group + name, userID: group + "u-" + name)
                }
            }
            for plan in plans {
                let subscriber = Self.subscriber(plan, group: "a-")
                _ = try await h.billing.openAccount(customerID: subscriber.customerId, userID: subscriber.userId)
                _ = try await h.billing.createSubscription(subscriber.subscription)
            }
            let imported = try await h.billing.importSubscribers(plans.map { Self.subscriber($0, group: "b-") })
            #expect(imported.count == plans.count && Set(imported).count == plans.count)

            let (oneByOne, bulk) = (try await Self.snapshot(h.database, group: "a-"), try await Self.snapshot(h.database, group: "b-"))
            #expect(oneByOne == bulk)
            #expect(bulk.events.filter { $0.hasPrefix(SubscriptionSuspended.type) }.count == 3, "missed, and mixed's two")
            #expect(bulk.rows.contains { $0.hasPrefix("charge|") })
            #expect(bulk.rows.contains("account|limited|u-limited|RUB|0|30000|NULL|ru"))
            #expect(bulk.rows.contains("account|double|u-double|RUB|0|30000|NULL|ru"))
            #expect(try await h.expectClean().isClean)

            _ = try await h.run("2026-12")
            let (afterOneByOne, afterBulk) = (try await Self.invoices(h.database, group: "a-"), try await Self.invoices(h.database, group: "b-"))
            #expect(afterOneByOne == afterBulk)
            #expect(afterBulk.contains { $0.hasPrefix("invoice|fresh|2026-12|issued|") })
            #expect(try await h.expectClean().isClean)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefusedImportWritesNothing(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let tariff = try await h.tariff(price: 620_00)
            let later = try await h.tariff(price: 620_00, from: LocalDate("2026-12-10")!)
            let archived = try await h.tariff(price: 620_00)
            _ = try await h.billing.archiveTariff(tariffID: archived.id)
            _ = try await h.billing.openAccount(customerID: "taken", userID: "u-taken")
            let good = ImportedSubscriber(
                customerId: "c-1", userId: "u-1", contractId: "k-1", tariffId: tariff.id, startsOn: LocalDate("2026-12-01")!)
            func importing(_ other: ImportedSubscriber) async throws { _ = try await h.billing.importSubscribers([good, other]) }
            var other = good
            (other.customerId, other.userId, other.tariffId) = ("c-2", "u-2", archived.id)
            await #expect(throws: BillingError.invalidField(field: "tariffId", reason: "the tariff is archived")) { try await importing(other) }
            other.tariffId = later.id
            await #expect(throws: BillingError.invalidField(field: "tariffId", reason: "the tariff has no price on 2026-12-01")) {
                try await importing(other)
            }
            other.tariffId = "no-such-tariff"
            await #expect(throws: BillingError.invalidField(field: "tariffId", reason: "no such tariff")) { try await importing(other) }
            (other.tariffId, other.contractId) = (tariff.id, "")
            await #expect(throws: BillingError.invalidField(field: "contractId", reason: "must not be empty")) { try await importing(other) }
            (other.contractId, other.customerId) = ("k-2", "taken")
            await #expect(throws: BillingError.conflict(reason: "the customer's account belongs to another user")) { try await importing(other) }
            (other.customerId, other.userId) = ("c-2", "u-taken")
            await #expect(throws: BillingError.conflict(reason: "the user has another billing account")) { try await importing(other) }
            (other.customerId, other.userId) = ("c-1", "u-2")
            await #expect(throws: BillingError.conflict(reason: "the customer's account belongs to another user")) { try await importing(other) }
            #expect(try await h.database.query("SELECT customer_id FROM billing_accounts", []).count == 1)
            #expect(try await h.database.query("SELECT id FROM subscriptions", []).isEmpty)
            #expect(try await h.billing.importSubscribers([]).isEmpty)
            (other.customerId, other.userId) = ("c-2", "u-2")
            #expect(try await h.billing.importSubscribers([good, other]).count == 2)
            #expect(try await h.billing.subscriptions(of: .customer("c-2")).map(\.tariffId) == [tariff.id])
        }
    }

    static func subscriber(_ plan: Plan, group: String) -> ImportedSubscriber {
        ImportedSubscriber(
            customerId: group + plan.name, userId: group + "u-" + plan.name, contractId: group + "k-" + plan.name, tariffId: plan.tariff.id,
            startsOn: LocalDate(plan.startsOn)!)
    }

    /// A group's billing rows and events as sorted lines, with the group prefix taken off its ids and subscription
    /// ids replaced by customer, contract and first day.
    struct Snapshot: Equatable {
        var rows: [String]
        var events: [String]
    }

    static func snapshot(_ database: any Database, group: String) async throws -> Snapshot {
        let names = try await subscriptionNames(database, group: group)
        let queries = [
            ("account", "SELECT customer_id, user_id, currency, balance, credit_limit, credit_limit_override, locale FROM billing_accounts a"),
            ("subscription", "SELECT id, contract_id, tariff_id, next_tariff_id, status, starts_on, ends_on FROM subscriptions a"),
            (
                "segment",
                "SELECT t.subscription_id, t.effective_from, t.tariff_id FROM subscription_tariffs t JOIN subscriptions a ON a.id = t.subscription_id"
            ),
            ("charge", "SELECT subscription_id, period, customer_id, amount, vat, days FROM subscription_charges a"),
            (
                "suspension",
                "SELECT u.subscription_id, u.starts_on, u.ends_before FROM subscription_suspensions u JOIN subscriptions a ON a.id = u.subscription_id"
            ),
            (
                "ledger",
                """
                SELECT a.kind, a.customer_id, a.description_ru, a.description_en, a.invoice_id, a.payment_id, e.account, e.customer_id AS entry_customer,
                    e.invoice_id AS entry_invoice, e.amount, e.balance_after
                FROM ledger_transactions a JOIN ledger_entries e ON e.transaction_id = a.id
                """
            ),
        ]
        var rows: [String] = []
        for (label, sql) in queries {
            for row in try await database.query(sql + " WHERE a.customer_id LIKE $1", [.text(group + "%")]) {
                rows.append(([label] + row.values.map { text($0, group: group, names: names) }).joined(separator: "|"))
            }
        }
        var events: [String] = []
        for row in try await database.query("SELECT type, version, payload FROM outbox_events", []) {
            let payload = try row.string("payload")
            guard payload.contains("\"\(group)") else { continue }
            var normalized = payload.replacingOccurrences(of: "\"\(group)", with: "\"")
            for (id, name) in names { normalized = normalized.replacingOccurrences(of: id, with: name) }
            events.append("\(try row.string("type"))|\(try row.int("version"))|\(normalized)")
        }
        return Snapshot(rows: rows.sorted(), events: events.sorted())
    }

    /// A group's invoices and lines after a run, as sorted lines.
    static func invoices(_ database: any Database, group: String) async throws -> [String] {
        let names = try await subscriptionNames(database, group: group)
        let invoices = try await database.query(
            "SELECT customer_id, period, status, total, vat, amount_paid, due_on FROM invoices WHERE customer_id LIKE $1", [.text(group + "%")])
        let lines = try await database.query(
            """
            SELECT l.subscription_id, l.period, l.tariff_id, l.description_ru, l.description_en, l.days, l.period_days, l.amount, l.vat, l.vat_rate_percent
            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.customer_id LIKE $1
            """, [.text(group + "%")])
        let entries = try await database.query(
            "SELECT account, customer_id, amount, balance_after FROM ledger_entries WHERE customer_id LIKE $1", [.text(group + "%")])
        return (invoices.map { ("invoice", $0) } + lines.map { ("line", $0) } + entries.map { ("entry", $0) }).map { label, row in
            ([label] + row.values.map { text($0, group: group, names: names) }).joined(separator: "|")
        }.sorted()
    }

    /// Subscription id → `customer/contract/first day` without the group prefix.
    static func subscriptionNames(_ database: any Database, group: String) async throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try await database.query(
            "SELECT id, customer_id, contract_id, starts_on FROM subscriptions WHERE customer_id LIKE $1", [.text(group + "%")])
        {
            names[try row.string("id")] =
                "\(try row.string("customer_id").dropFirst(group.count))/\(try row.string("contract_id").dropFirst(group.count))/\(try row.int("starts_on"))"
        }
        return names
    }

    static func text(_ value: SQLValue, group: String, names: [String: String]) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let number): String(number)
        case .bool(let flag): flag ? "1" : "0"
        case .real(let number): String(number)
        case .bytes(let bytes): bytes.description
        case .text(let text): names[text] ?? (text.hasPrefix(group) ? String(text.dropFirst(group.count)) : text)
        }
    }
}
