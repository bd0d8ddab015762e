// The billing benchmarks' and system tests' tools: seeding subscriptions set-based, timing the monthly run,
// checking its invoices, and driving balance payments through `BillingService.pay`.

import ArgumentParser
import Billing
import Contracts
import Foundation
import Kernel
import Logging
import Storage
import Synchronization

/// Where a billing tool's data lives: PostgreSQL when a URL is given, else the SQLite file `lastmile` uses.
struct BillingDatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $LASTMILE_DATABASE_URL); without one, SQLite in --data-dir.")
    var databaseURL: String?

    @Option(help: "Data folder of the SQLite file (default: $LASTMILE_DATA_DIR or ./data).")
    var dataDir: String?

    /// Runs `body` with the database open and the billing tables migrated.
    func withDatabase<Result: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> Result) async throws -> Result {
        let environment = ProcessInfo.processInfo.environment
        let url = databaseURL ?? environment["LASTMILE_DATABASE_URL"]
        let dataDirectory = dataDir ?? environment["LASTMILE_DATA_DIR"] ?? "./data"
        if url?.isEmpty ?? true { try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true) }
        let logger = benchLogger()
        return try await DatabaseFactory.withDatabase(url: url, dataDirectory: dataDirectory, logger: logger) { database in
            _ = try await Migrator(database: database, logger: logger).migrate([StorageMigrations.set, BillingMigrations.set])
            return try await body(database)
        }
    }
}

// MARK: - billing-seed

/// Seeds customers with open accounts and subscriptions in a few set-based statements (no row-by-row inserts).
struct BillingSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-seed",
        abstract: "Create N billing accounts with one subscription each, set-based, for a period's run."
    )

    @OptionGroup var database: BillingDatabaseOptions

    @Option(help: "Customers (one subscription each).")
    var customers = 10_000

    @Option(help: "The period the subscriptions will be invoiced for, as YYYY-MM.")
    var period = "2026-12"

    @Option(help: "Per mille of customers whose period is unusual (a start inside it, a pause, a tariff change, an end).")
    var unusualPerMille = 10

    @Option(help: "Opening balance of every account, in kopecks (booked as a cash payment, so the ledger balances).")
    var balance: Int64 = 0

    func validate() throws {
        guard customers > 0, customers <= 10_000_000 else { throw ValidationError("--customers must be 1 to 10,000,000") }
        guard BillingPeriod(period) != nil else { throw ValidationError("--period must be YYYY-MM") }
        guard (0...1000).contains(unusualPerMille) else { throw ValidationError("--unusual-per-mille must be 0 to 1000") }
        guard balance >= 0 else { throw ValidationError("--balance must not be negative") }
    }

    func run() async throws {
        let (count, period, unusual, balance) = (customers, BillingPeriod(period)!, unusualPerMille, balance)
        let clock = ContinuousClock()
        let start = clock.now
        try await database.withDatabase { database in
            try await BillingSeeder(database: database, period: period).seed(customers: count, unusualPerMille: unusual, balance: balance)
        }
        let elapsed = secondsIn(clock.now - start)
        note("billing-seed: \(count) customers in \(String(format: "%.2f", elapsed)) s")
        print("customers=\(count) seconds=\(String(format: "%.3f", elapsed))")
    }
}

/// The seeding statements, for either engine.
struct BillingSeeder: Sendable {
    let database: any Database
    let period: BillingPeriod

    /// Three tariffs (one VAT-exempt) through the service, then accounts, subscriptions and tariff segments in one
    /// transaction of set-based statements. Customer ids are `bc-00000001`…, so they sort in creation order.
    func seed(customers count: Int, unusualPerMille: Int, balance: Int64) async throws {
        let billing = BillingService(database: database)
        let from = LocalDate(year: 2026, month: 1, day: 1)!
        let suffix = UUID().uuidString.prefix(6).lowercased()
        var tariffIDs: [String] = []
        for (index, (price, vat)) in [(620_00 as Int64, VATTreatment.standard), (930_00, .standard), (450_00, .exempt)].enumerated() {
            let tariff = try await billing.createTariff(
                NewTariff(
                    code: "bench-\(index)-\(suffix)", nameRu: "Домашний \(index + 1)", nameEn: "Home \(index + 1)", downloadMbps: 100 * (index + 1),
                    uploadMbps: 100 * (index + 1), vat: vat, creditLimit: .rub(300_00), monthlyPrice: .rub(price), effectiveFrom: from))
            tariffIDs.append(tariff.id)
        }
        let tariffs = tariffIDs
        let postgres = database.dialect == .postgres
        let series =
            postgres
            ? "generate_series(1, $1) AS g(n)"
            : "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $1) SELECT n FROM s) AS g"
        let pad: @Sendable (String) -> String = { prefix in postgres ? "'\(prefix)' || lpad(g.n::text, 8, '0')" : "printf('\(prefix)%08d', g.n)" }
        let first = period.firstDay.dayNumber
        let now = Date().sqlValue
        // Unusual customers (n % 1000 < per mille): by n % 4 a start on the 10th, a pause from the 20th, a tariff change
        // on the 16th, an end on the 20th.
        let unusual = "(g.n % 1000) < \(unusualPerMille)"
        let tariff = "CASE g.n % 3 WHEN 0 THEN $2 WHEN 1 THEN $3 ELSE $4 END"
        try await database.transaction { tx in
            try await tx.query(
                """
                INSERT INTO billing_accounts (customer_id, user_id, currency, balance, credit_limit, created_at)
                SELECT \(pad("bc-")), \(pad("bu-")), 'RUB', 0, 30000, $2 FROM \(series)
                """, [.integer(Int64(count)), now])
            try await tx.query(
                """
                INSERT INTO subscriptions (id, customer_id, contract_id, tariff_id, status, starts_on, ends_on, created_at)
                SELECT \(pad("bs-")), \(pad("bc-")), \(pad("bk-")), \(tariff), 'active',
                    CASE WHEN \(unusual) AND g.n % 4 = 0 THEN \(first + 9) ELSE \(from.dayNumber) END,
                    CASE WHEN \(unusual) AND g.n % 4 = 3 THEN \(first + 19) ELSE NULL END, $5
                FROM \(series)
                """, [.integer(Int64(count))] + tariffs.map { .text($0) } + [now])
            try await tx.query(
                """
                INSERT INTO subscription_tariffs (subscription_id, effective_from, tariff_id)
                SELECT id, starts_on, tariff_id FROM subscriptions WHERE id LIKE 'bs-%'
                """, [])
            try await tx.query(
                """
                INSERT INTO subscription_tariffs (subscription_id, effective_from, tariff_id)
                SELECT \(pad("bs-")), \(first + 15), CASE WHEN g.n % 3 = 1 THEN $2 ELSE $3 END FROM \(series)
                WHERE \(unusual) AND g.n % 4 = 2
                """, [.integer(Int64(count)), .text(tariffs[0]), .text(tariffs[1])])
            try await tx.query(
                """
                INSERT INTO subscription_pauses (id, subscription_id, starts_on, ends_before, created_at)
                SELECT \(pad("bp-")), \(pad("bs-")), \(first + 19), \(first + 29), $2 FROM \(series)
                WHERE \(unusual) AND g.n % 4 = 1
                """, [.integer(Int64(count)), now])
            if balance > 0 { try await Self.openingBalances(balance, count: count, series: series, pad: pad, now: now, in: tx) }
        }
        if postgres { try await database.query("ANALYZE", []) }
    }

    /// Books `amount` into every seeded account as one cash payment each: clearing −amount / customer +amount.
    private static func openingBalances(
        _ amount: Int64, count: Int, series: String, pad: @Sendable (String) -> String, now: SQLValue, in tx: any SQLExecutor
    ) async throws {
        let binds: [SQLValue] = [.integer(Int64(count)), now, .integer(amount)]
        try await tx.query("UPDATE billing_accounts SET balance = balance + $3 WHERE customer_id LIKE 'bc-%'", binds)
        try await tx.query(
            """
            INSERT INTO payments (id, customer_id, invoice_id, amount, method, status, created_at, updated_at)
            SELECT \(pad("bpay-")), \(pad("bc-")), NULL, $3, 'cash', 'succeeded', $2, $2 FROM \(series)
            """, binds)
        try await tx.query(
            """
            INSERT INTO ledger_transactions (id, kind, customer_id, invoice_id, payment_id, description_ru, description_en, occurred_at)
            SELECT \(pad("btx-")), 'payment', \(pad("bc-")), NULL, \(pad("bpay-")), 'Оплата наличными', 'Cash payment', $2 FROM \(series)
            """, binds)
        try await tx.query(
            """
            INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after)
            SELECT \(pad("btx-")), 'clearing:cash', NULL, NULL, -$3, NULL FROM \(series)
            UNION ALL SELECT \(pad("btx-")), 'customer', \(pad("bc-")), NULL, $3, $3 FROM \(series)
            """, binds)
    }
}

// MARK: - billing-run

/// Times `BillingService.runBilling` for a period and prints the result line.
struct BillingRunTimed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-run",
        abstract: "Run (or dry-run) the monthly run for a period and print its time and totals."
    )

    @OptionGroup var database: BillingDatabaseOptions

    @Option(help: "The period, as YYYY-MM.")
    var period = "2026-12"

    @Flag(help: "Compute without writing.")
    var dryRun = false

    @Option(help: "Customers per batch (default: the service's).")
    var batchSize: Int?

    @Option(help: "Batches written at once on separate connections (default: the service's).")
    var parallelBatches: Int?

    func run() async throws {
        guard let period = BillingPeriod(period) else { throw ValidationError("--period must be YYYY-MM") }
        let (dryRun, batchSize, parallel) = (dryRun, batchSize, parallelBatches)
        let clock = ContinuousClock()
        let (elapsed, run) = try await database.withDatabase { database in
            var settings = BillingSettings()
            if let batchSize { settings.runBatchSize = batchSize }
            if let parallel { settings.runParallelBatches = parallel }
            let billing = BillingService(database: database, settings: settings)
            let start = clock.now
            let run = try await billing.runBilling(period: period, dryRun: dryRun, by: "bench")
            return (secondsIn(clock.now - start), run)
        }
        note("billing-run: \(run.invoicesCreated) invoices, \(run.totalAmount.minorUnits) kopecks in \(String(format: "%.2f", elapsed)) s")
        print(
            "seconds=\(String(format: "%.3f", elapsed)) invoices=\(run.invoicesCreated) total=\(run.totalAmount.minorUnits) "
                + "subscriptions=\(run.subscriptionsTotal) status=\(run.status.rawValue)")
    }
}

// MARK: - billing-check

/// Prints what a period's invoices add up to, and how many customers have more than one.
struct BillingCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-check",
        abstract: "Print a period's invoice count, total, duplicates and lines for the system tests."
    )

    @OptionGroup var database: BillingDatabaseOptions

    @Option(help: "The period, as YYYY-MM.")
    var period = "2026-12"

    func run() async throws {
        let period = period
        let line = try await database.withDatabase { database in
            let row = try await database.first(
                """
                SELECT (SELECT COUNT(*) FROM invoices WHERE period = $1) AS invoices,
                    CAST((SELECT COALESCE(SUM(total), 0) FROM invoices WHERE period = $1) AS BIGINT) AS total,
                    (SELECT COUNT(*) FROM (SELECT customer_id FROM invoices WHERE period = $1 GROUP BY customer_id HAVING COUNT(*) > 1) d)
                        AS duplicates,
                    (SELECT COUNT(*) FROM invoice_lines WHERE period = $1) AS lines,
                    (SELECT COUNT(*) FROM outbox_events WHERE type = 'invoice.created') AS events
                """, period)
            guard let row else { return "" }
            return "invoices=\(try row.int("invoices")) total=\(try row.int64("total")) duplicates=\(try row.int("duplicates")) "
                + "lines=\(try row.int("lines")) events=\(try row.int("events"))"
        }
        print(line)
    }
}

// MARK: - billing-pay

/// Balance payments through `BillingService.pay` from concurrent clients, each with a fresh idempotency key.
struct BillingPay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-pay",
        abstract: "Pay invoices from the balance concurrently for a while and print payments/s."
    )

    @OptionGroup var database: BillingDatabaseOptions

    @Option(help: "The period whose invoices are paid, as YYYY-MM.")
    var period = "2026-12"

    @Option(help: "Accounts to spread the payments over (1 = one hot account).")
    var accounts = 10_000

    @Option(help: "Concurrent clients.")
    var concurrency = 32

    @Option(help: "How long to pay, in seconds.")
    var seconds: Double = 30

    @Option(help: "Pool connections (default: the concurrency).")
    var connections: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = database.databaseURL ?? environment["LASTMILE_DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("billing-pay needs PostgreSQL: --database-url")
        }
        let (accounts, concurrency, seconds, period) = (accounts, concurrency, seconds, period)
        let logger = benchLogger()
        let postgres = try PostgresDatabase(url: url, maxConnections: connections ?? concurrency, logger: logger)
        let result = try await DatabaseFactory.run(postgres) { database in
            let invoices = try await database.query(
                """
                SELECT i.customer_id, i.id FROM invoices i JOIN billing_accounts a ON a.customer_id = i.customer_id
                WHERE i.period = $1 AND i.status = 'issued' AND a.balance > 0 ORDER BY i.customer_id LIMIT $2
                """, period, accounts
            ).map { (customer: try $0.string("customer_id"), invoice: try $0.string("id")) }
            guard !invoices.isEmpty else { throw ValidationError("no issued invoices of \(period) on accounts with money; seed and run first") }
            let billing = BillingService(database: database, logger: logger)
            let clock = ContinuousClock()
            let start = clock.now
            let deadline = start + .milliseconds(Int64(seconds * 1000))
            let counts = await withTaskGroup(of: (ok: Int, refused: Int, failed: Int).self) { group in
                for client in 0..<concurrency {
                    group.addTask {
                        var tally = (ok: 0, refused: 0, failed: 0)
                        var index = client
                        while clock.now < deadline {
                            let target = invoices[index % invoices.count]
                            index += concurrency
                            // What a caller sends: a fresh key per intended payment, the body's fingerprint.
                            let token = IdempotencyToken(key: UUID().uuidString, fingerprint: "pay:\(target.invoice):1")
                            do {
                                _ = try await billing.pay(
                                    of: .customer(target.customer), PaymentOrder(invoiceId: target.invoice, amount: .rub(1), method: .balance),
                                    idempotency: token)
                                tally.ok += 1
                            } catch is BillingError {
                                tally.refused += 1
                            } catch {
                                tally.failed += 1
                                if tally.failed < 3 { note("billing-pay: \(error)") }
                            }
                        }
                        return tally
                    }
                }
                var sum = (ok: 0, refused: 0, failed: 0)
                for await tally in group {
                    sum.ok += tally.ok
                    sum.refused += tally.refused
                    sum.failed += tally.failed
                }
                return sum
            }
            let elapsed = secondsIn(clock.now - start)
            let verification = try await billing.verifyLedger()
            return (counts, elapsed, invoices.count, verification.isClean)
        }
        let (counts, elapsed, used, clean) = result
        let rate = Double(counts.ok) / elapsed
        note(
            "billing-pay: \(counts.ok) payments, \(counts.refused) refused, \(counts.failed) errors over \(used) accounts, "
                + "concurrency \(concurrency), \(String(format: "%.2f", elapsed)) s; ledger \(clean ? "clean" : "BROKEN")")
        print(
            "payments_per_second=\(formatRate(rate)) payments=\(counts.ok) refused=\(counts.refused) errors=\(counts.failed) accounts=\(used) "
                + "concurrency=\(concurrency) seconds=\(String(format: "%.2f", elapsed)) ledger=\(clean ? "clean" : "broken")")
        if counts.ok == 0 || !clean { throw ExitCode.failure }
    }
}

/// A logger that only speaks up for warnings.
func benchLogger() -> Logger {
    var logger = Logger(label: "lastmile-bench.billing")
    logger.logLevel = .warning
    return logger
}
