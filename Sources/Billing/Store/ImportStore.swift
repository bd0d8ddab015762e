import Foundation
import Kernel
import Storage

/// The bulk writes of an import: accounts, subscriptions and their first tariff segments. On PostgreSQL a batch is one
/// `INSERT … SELECT FROM unnest(…)` per table, with an array parameter per column; on SQLite a few hundred rows per
/// `INSERT`.
enum ImportStore {
    /// An account to open.
    struct AccountRow {
        var customerID: String
        var userID: String
        var creditLimit: Int64
    }

    /// An active subscription to create, on its tariff from its first day.
    struct SubscriptionRow {
        var id: String
        var customerID: String
        var contractID: String
        var tariffID: String
        var startsOn: Int
    }

    /// What subscribing to a tariff needs to know of it.
    struct TariffTerms {
        var isArchived: Bool
        var creditLimit: Int64
        /// The first day it has a price, if it has one.
        var pricedFrom: Int?
    }

    /// A tariff's terms as the import checks them.
    private struct TermsRow: Decodable {
        var id: String
        var archived: Bool
        var creditLimit: Int64
        var pricedFrom: Int?
    }

    private static let rowsPerStatement = 400

    /// Every tariff's terms by id.
    static func tariffTerms(in executor: any SQLExecutor) async throws -> [String: TariffTerms] {
        let rows = try await executor.query(
            "SELECT t.id, t.archived, t.credit_limit, (SELECT MIN(p.effective_from) FROM tariff_prices p WHERE p.tariff_id = t.id) AS priced_from FROM tariffs t",
            [])
        var terms: [String: TariffTerms] = [:]
        for row in rows {
            let tariff = try row.decode(TermsRow.self)
            terms[tariff.id] = TariffTerms(isArchived: tariff.archived, creditLimit: tariff.creditLimit, pricedFrom: tariff.pricedFrom)
        }
        return terms
    }

    /// The latest period a non-dry monthly run has started for, if any.
    static func latestRunPeriod(in executor: any SQLExecutor) async throws -> BillingPeriod? {
        try await executor.first("SELECT MAX(period) AS period FROM billing_runs WHERE dry_run = FALSE")?.optionalString("period")
            .flatMap(BillingPeriod.init)
    }

    /// Opens the accounts not open yet and returns those that were, with their users. A user who has another
    /// account throws ``StorageError/uniqueViolation(constraint:)``.
    static func openAccounts(_ accounts: [AccountRow], currency: Currency, at time: Date, in tx: any SQLExecutor) async throws -> [String: String] {
        guard !accounts.isEmpty else { return [:] }
        if tx.dialect == .postgres {
            // The insert skips the accounts open already and answers only those (usually none): a lookup of the whole
            // batch first could be planned as a scan of a table that has grown since its statistics.
            let skipped = try await tx.query(
                """
                WITH opened AS (
                    INSERT INTO billing_accounts (customer_id, user_id, currency, credit_limit, created_at)
                    SELECT a.customer_id, a.user_id, $4, a.credit_limit, $5
                    FROM unnest($1::text[], $2::text[], $3::bigint[]) AS a(customer_id, user_id, credit_limit)
                    ON CONFLICT (customer_id) DO NOTHING RETURNING customer_id
                )
                SELECT a.customer_id, a.user_id
                FROM (SELECT b.customer_id FROM unnest($1::text[]) AS b(customer_id) EXCEPT SELECT customer_id FROM opened) AS skipped
                JOIN billing_accounts a ON a.customer_id = skipped.customer_id
                """,
                [
                    PostgresArrayLiteral.text(accounts.map(\.customerID)), PostgresArrayLiteral.text(accounts.map(\.userID)),
                    PostgresArrayLiteral.bigint(accounts.map(\.creditLimit)),
                    .text(currency.code), time.sqlValue,
                ])
            return try users(skipped)
        }
        var existing: [SQLRow] = []
        for chunk in chunks(accounts) {
            let list = (1...chunk.count).map { "$\($0)" }.joined(separator: ", ")
            existing += try await tx.query(
                "SELECT customer_id, user_id FROM billing_accounts WHERE customer_id IN (\(list))", chunk.map { .text($0.customerID) })
        }
        let open = try users(existing)
        for chunk in chunks(accounts.filter { open[$0.customerID] == nil }) {
            try await insertValues(
                "INSERT INTO billing_accounts (customer_id, user_id, currency, credit_limit, created_at)",
                rows: chunk.map { [.text($0.customerID), .text($0.userID), .text(currency.code), .integer($0.creditLimit), time.sqlValue] },
                in: tx)
        }
        return open
    }

    private static func users(_ rows: [SQLRow]) throws -> [String: String] {
        var users: [String: String] = [:]
        for row in rows { users[try row.string("customer_id")] = try row.string("user_id") }
        return users
    }

    /// Inserts the subscriptions, `active`, each with its tariff segment from its first day.
    static func insertSubscriptions(_ subscriptions: [SubscriptionRow], at time: Date, in tx: any SQLExecutor) async throws {
        guard !subscriptions.isEmpty else { return }
        if tx.dialect == .postgres {
            // One statement parses the arrays once; the segments' foreign key is checked at its end, when the
            // subscriptions are in.
            try await tx.query(
                """
                WITH created AS (
                    INSERT INTO subscriptions (id, customer_id, contract_id, tariff_id, status, starts_on, created_at)
                    SELECT s.id, s.customer_id, s.contract_id, s.tariff_id, 'active', s.starts_on, $6
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS s(id, customer_id, contract_id, tariff_id, starts_on)
                    RETURNING id, starts_on, tariff_id
                )
                INSERT INTO subscription_tariffs (subscription_id, effective_from, tariff_id) SELECT id, starts_on, tariff_id FROM created
                """,
                [
                    PostgresArrayLiteral.text(subscriptions.map(\.id)), PostgresArrayLiteral.text(subscriptions.map(\.customerID)),
                    PostgresArrayLiteral.text(subscriptions.map(\.contractID)),
                    PostgresArrayLiteral.text(subscriptions.map(\.tariffID)), PostgresArrayLiteral.bigint(subscriptions.map { Int64($0.startsOn) }),
                    time.sqlValue,
                ])
            return
        }
        for chunk in chunks(subscriptions) {
            try await insertValues(
                "INSERT INTO subscriptions (id, customer_id, contract_id, tariff_id, status, starts_on, created_at)",
                rows: chunk.map {
                    [
                        .text($0.id), .text($0.customerID), .text($0.contractID), .text($0.tariffID), .text("active"), .integer(Int64($0.startsOn)),
                        time.sqlValue,
                    ]
                }, in: tx)
            try await insertValues(
                "INSERT INTO subscription_tariffs (subscription_id, effective_from, tariff_id)",
                rows: chunk.map { [.text($0.id), .integer(Int64($0.startsOn)), .text($0.tariffID)] }, in: tx)
        }
    }

    private static func chunks<Element>(_ elements: [Element]) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: rowsPerStatement).map { elements[$0..<min($0 + rowsPerStatement, elements.count)] }
    }

    /// `insert` followed by `VALUES` with one tuple of placeholders per row.
    private static func insertValues(_ insert: String, rows: [[SQLValue]], in tx: any SQLExecutor) async throws {
        var tuples: [String] = []
        var binds: [SQLValue] = []
        for row in rows {
            let base = binds.count
            tuples.append("(" + (1...row.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
            binds += row
        }
        try await tx.query(insert + " VALUES " + tuples.joined(separator: ", "), binds)
    }

}
