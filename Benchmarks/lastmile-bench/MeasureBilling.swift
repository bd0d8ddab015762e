import ArgumentParser
import BenchKit
import Foundation

/// `measure billing`: the monthly run against COPY, balance payments against pgbench, the invoices page against a bare
/// Hummingbird + postgres-nio endpoint, on a private durable PostgreSQL.
struct MeasureBilling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing",
        abstract: "The monthly run vs COPY (≤ 5×), payments/s vs pgbench (≥ 50%), the invoices page vs a bare endpoint (≥ 50%).")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database; the benchmark makes databases of its own.")
    var postgresURL: String

    func run() async throws {
        let bench = try BenchRun("billing", options: options)
        defer { bench.stopAll() }
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        var rows: [String] = []

        // 1. The monthly run against a COPY of as many invoice rows into a scratch table like `invoices` (its keys and
        //    indexes), in the same database, the tables emptied between rounds.
        let sizes = (ProcessInfo.processInfo.environment["LASTMILE_BENCH_BILLING_SIZES"] ?? "10000 100000 1000000")
            .split(separator: " ").compactMap { Int($0) }
        let runRule = bench.rule(target: 500, higherIsBetter: false, tolerance: 50)
        for count in sizes {
            bench.step("monthly run: \(count) subscriptions vs COPY of as many invoice rows")
            let database = "run_\(count)"
            try postgres.psql("postgres", "CREATE DATABASE \(database)")
            let seed = try bench.run(
                "seed-\(count).txt",
                [bench.bench, "billing-seed", "--database-url", postgres.url(database), "--customers", "\(count)", "--period", "2026-12"])
            let csv = bench.out.appendingPathComponent("invoices-\(count).csv")
            try writeLines(count, to: csv) { i in
                "\(UUID().uuidString.lowercased()),2026-12-\(String(format: "%06d", i)),bc-\(String(format: "%08d", i)),2026-12,issued,62000,11180,0,1795000000000000,20798,bench-run"
            }
            defer { try? FileManager.default.removeItem(at: csv) }
            try postgres.psql(database, "CREATE TABLE invoices_copy (LIKE invoices INCLUDING ALL)")
            var ranBefore = false
            var lastRun = ""
            let result = try await measurePairs(
                runRule,
                platform: { round in
                    if ranBefore {
                        try postgres.psql(
                            database,
                            "TRUNCATE invoices, invoice_lines, ledger_transactions, ledger_entries, outbox_events, billing_runs, billing_leases, invoice_counters"
                        )
                    }
                    ranBefore = true
                    try postgres.psql(database, "CHECKPOINT")
                    lastRun = try bench.run(
                        "run-\(count)-\(round).txt", [bench.bench, "billing-run", "--database-url", postgres.url(database), "--period", "2026-12"])
                    return Double(ToolOutput.values(lastRun, with: "seconds")["seconds"] ?? "") ?? 0
                },
                baseline: { _ in
                    try postgres.psql(database, "TRUNCATE invoices_copy")
                    try postgres.psql(database, "CHECKPOINT")
                    return try timed {
                        try postgres.psql(
                            database,
                            "\\copy invoices_copy (id, number, customer_id, period, status, total, vat, amount_paid, issued_at, due_on, run_id) FROM '\(csv.path)' WITH (FORMAT csv)"
                        )
                    }
                }, report: bench.report("run vs COPY (seconds)"))
            let invoices = Int(ToolOutput.values(lastRun, with: "invoices")["invoices"] ?? "") ?? -1
            let seeded = ToolOutput.values(seed, with: "seconds")["seconds"] ?? "?"
            rows.append(
                Formatting.row(
                    "monthly run, \(count) subscriptions (seeded in \(seeded) s)", "\(Formatting.summary(result.platform, decimals: 3)) s",
                    "COPY \(Formatting.summary(result.baseline, decimals: 3)) s", Formatting.ratio(result, asFactor: true), "≤ 5×",
                    Formatting.verdict(runRule.verdict(result), problem: invoices == count ? nil : "\(invoices) invoices for \(count) subscriptions"))
            )
            try postgres.psql("postgres", "DROP DATABASE \(database)")
        }

        // 2. Balance payments through BillingService.pay (a fresh idempotency key each, as callers send) against pgbench.
        let paySeconds = bench.tunable("LASTMILE_BENCH_PAY_SECONDS", 20)
        bench.step("balance payments vs pgbench TPC-B, \(paySeconds) s each, alternating")
        try postgres.psql("postgres", "CREATE DATABASE pgbench")
        try postgres.psql("postgres", "CREATE DATABASE pay")
        try bench.run("pgbench-init.log", ["pgbench", "-i", "-s", "32", "-q", postgres.url("pgbench")], echo: false)
        try bench.run(
            "pay-seed.txt",
            [
                bench.bench, "billing-seed", "--database-url", postgres.url("pay"), "--customers", "10000", "--unusual-per-mille", "0", "--balance",
                "100000000",
            ])
        try bench.run("pay-run.txt", [bench.bench, "billing-run", "--database-url", postgres.url("pay"), "--period", "2026-12"])
        try postgres.psql("pay", "VACUUM ANALYZE")
        try postgres.psql("pgbench", "CHECKPOINT")
        let payRule = bench.rule(target: 50)
        let pay = { (label: String, accounts: Int) throws -> Double in
            let text = try bench.run(
                label,
                [
                    bench.bench, "billing-pay", "--database-url", postgres.url("pay"), "--accounts", "\(accounts)", "--concurrency", "32",
                    "--seconds",
                    "\(paySeconds)",
                ])
            let values = ToolOutput.values(text, with: "payments_per_second")
            guard values["errors"] == "0", values["ledger"] == "clean" else { throw BenchFailure("payments failed or the ledger broke: \(label)") }
            return Double(values["payments_per_second"] ?? "") ?? 0
        }
        let payments = try await measurePairs(
            payRule, platform: { round in try pay("pay-spread-\(round).txt", 10_000) },
            baseline: { round in
                let text = try bench.run(
                    "pgbench-\(round).txt", ["pgbench", "-c", "32", "-j", "2", "-T", "\(paySeconds)", postgres.url("pgbench")], echo: false)
                guard let tps = ToolOutput.pgbenchTPS(text) else { throw BenchFailure("no tps in pgbench's output") }
                return tps
            }, report: bench.report("payments/s vs TPS"))
        try postgres.psql("postgres", "DROP DATABASE pgbench")
        let hot = try pay("pay-hot.txt", 1)
        let tps = payments.baseline.median
        rows.append(
            Formatting.row(
                "balance payments/s, 32 clients over 10,000 accounts", "\(Formatting.summary(payments.platform)) payments/s",
                "pgbench \(Formatting.summary(payments.baseline)) TPS", Formatting.ratio(payments), "≥ 50%",
                Formatting.verdict(payRule.verdict(payments))))
        rows.append(
            Formatting.row(
                "balance payments/s, 32 clients on one hot account", "\(Formatting.fixed(hot, 2)) payments/s", "pgbench \(Formatting.fixed(tps)) TPS",
                "\(Formatting.fixed(tps > 0 ? 100 * hot / tps : 0, 1))%", "—", "(shown)"))

        // 3. The personal account's invoices page over HTTP against one primary-key SELECT behind bare Hummingbird.
        rows.append(try await invoicesPage(bench, postgres))
        let load = bench.loadAverage
        let section = """
            ## billing

            \(bench.runLine)
            A private PostgreSQL started by `scripts/bench`, durable settings (`fsync`, `synchronous_commit` and
            `full_page_writes` on), `shared_buffers = 512MB`, `max_wal_size = 8GB`, a `CHECKPOINT` before each timed step;
            client and server share the machine's cores; load average at the end \(load).
            \(bench.method) The monthly run's factor is unstable past ± 0.5×.

            - **Monthly run**: `lastmile-bench billing-seed` (set-based SQL: one subscription per customer, 1% with a start,
              pause, tariff change or end inside the period), then `BillingService.runBilling` for 2026-12 (batches of 5,000:
              invoices, lines, one ledger transaction per batch and the `invoice.created` outbox events). Baseline: `psql \\copy`
              of as many invoice rows (CSV, random UUID ids) into `CREATE TABLE … (LIKE invoices INCLUDING ALL)` in the same
              database; both sides' tables are emptied between rounds.
            - **Payments**: `lastmile-bench billing-pay`: 32 tasks calling `BillingService.pay` (method balance, 1 kopeck of the
              customer's December invoice, a fresh idempotency key per call) for \(paySeconds) s over 10,000 accounts; 32
              pooled connections. Baseline: `pgbench -c 32 -j 2 -T \(paySeconds)` (TPC-B, scale 32) on the same server. Then
              one run with all 32 on one account.
            - **Invoices page**: `lastmile serve` on the same PostgreSQL with its first-start demo data (1,000 generated
              customers and the demo customer), rate limits out of the way, once the demo data's events have drained from the
              outbox; wrk `-t2 -c64 -d\(bench.wrkSeconds)s` after a 3 s warm-up on `GET /api/v1/billing/invoices` with the demo
              customer's bearer token (JWT check and the session from the process's cache, then the customer's invoices and
              profile fetched in parallel and merged, written by `JSONObjectWriter`). Baseline: `lastmile-bench
              bare-pg-server`, bare Hummingbird and a postgres-nio pool answering `GET /invoices/{id}` with one primary-key
              `SELECT` of one of those invoices, as JSON; both servers run side by side.

            | measurement | platform | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))
            """
        try bench.finish(section: section)
    }

    /// The invoices page row: `lastmile serve` with demo data against `bare-pg-server`, wrk alternating between them.
    private func invoicesPage(_ bench: BenchRun, _ postgres: PostgresServer) async throws -> String {
        bench.step("invoices over HTTP: lastmile serve on PostgreSQL (demo data) vs bare Hummingbird + postgres-nio")
        try postgres.psql("postgres", "CREATE DATABASE gateway")
        let port = try freePort()
        let serve = try bench.start(
            "serve.out", [bench.lastmile, "serve"],
            environment: [
                "LASTMILE_DATABASE_URL": postgres.url("gateway"), "LASTMILE_DATA_DIR": bench.out.appendingPathComponent("data").path,
                "LASTMILE_PORT": "\(port)", "LASTMILE_DEMO_DATA": "true", "LASTMILE_RATE_LIMIT_API": "100000000",
                "LASTMILE_RATE_LIMIT_CREDENTIALS": "100000000", "LASTMILE_RATE_LIMIT_GLOBAL": "100000000",
            ])
        let site = "http://127.0.0.1:\(port)"
        try await bench.waitHTTP("\(site)/health/ready", child: serve, seconds: 180)
        let demo = try await bench.demoLogins(serve).customer
        let token = try await login(bench, site: site, email: demo.email, password: demo.password)
        let bearer = "Authorization: Bearer \(token)"
        let (_, page) = try await bench.http("\(site)/api/v1/billing/invoices", headers: ["Authorization": "Bearer \(token)"])
        guard let object = try? JSONSerialization.jsonObject(with: page) as? [String: Any], (object["missing"] as? [Any])?.isEmpty ?? true,
            let invoices = object["invoices"] as? [[String: Any]], let invoiceID = invoices.first?["id"] as? String
        else { throw BenchFailure("GET /api/v1/billing/invoices gave no full answer: \(String(decoding: page, as: UTF8.self).prefix(500))") }
        bench.info("demo customer \(demo.email), \(invoices.count) invoice(s) on the page")
        // The first start's demo data sends its events through the outbox in the background; measure the page once that
        // has settled, not while the relay competes for the cores.
        try await bench.awaitEmptyOutbox(site: site)
        try postgres.psql("gateway", "VACUUM ANALYZE")
        try postgres.psql("gateway", "CHECKPOINT")
        let barePort = try freePort()
        let bare = try bench.start(
            "bare-pg-server.log", [bench.bench, "bare-pg-server", "--port", "\(barePort)", "--database-url", postgres.url("gateway")])
        let bareURL = "http://127.0.0.1:\(barePort)/invoices/\(invoiceID)"
        try await bench.waitHTTP(bareURL, child: bare, seconds: 60)
        let row = try await bench.wrkRow(
            "authenticated `GET /api/v1/billing/invoices` (aggregated) vs bare Hummingbird + postgres-nio `GET /invoices/{id}`", target: 50,
            ours: ("invoices", "\(site)/api/v1/billing/invoices", [bearer]), baseline: ("bare-invoice", bareURL))
        bench.stopAll()
        try postgres.psql("postgres", "DROP DATABASE gateway")
        return row
    }
}

/// The private PostgreSQL that scripts/bench started, reached through psql.
struct PostgresServer {
    let bench: BenchRun
    /// A superuser's URL of the `postgres` database.
    let url: String

    /// The URL of another database on the same server, as the same user.
    func url(_ database: String) -> String {
        guard let slash = url.range(of: "/", options: .backwards), url[..<slash.lowerBound].contains("@") else { return url }
        return String(url[..<slash.upperBound]) + database
    }

    /// Runs one SQL command (or psql meta-command) in `database`; its output.
    @discardableResult
    func psql(_ database: String, _ command: String) throws -> String {
        try bench.run("psql.log", ["psql", url(database), "-v", "ON_ERROR_STOP=1", "-qAt", "-c", command], echo: false)
    }
}

/// Writes `count` lines made by `line` (numbered from 1) to `file`, in chunks.
func writeLines(_ count: Int, to file: URL, _ line: (Int) -> String) throws {
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    defer { try? handle.close() }
    var chunk = ""
    for i in 1...max(1, count) {
        chunk += line(i) + "\n"
        if i % 10_000 == 0 || i == count {
            try handle.write(contentsOf: Data(chunk.utf8))
            chunk = ""
        }
    }
}
