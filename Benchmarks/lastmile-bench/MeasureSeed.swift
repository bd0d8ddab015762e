import ArgumentParser
import BenchKit
import Foundation

/// `measure seed`: `lastmile demo seed --customers N` against a COPY of as many customer rows, then operator search
/// latency over what was seeded, on a private durable PostgreSQL.
struct MeasureSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "lastmile demo seed --customers 1000000 (< 120 s) vs a COPY of as many rows; operator search latency.")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database; the benchmark makes databases of its own.")
    var postgresURL: String

    func run() async throws {
        let bench = try BenchRun("seed", options: options)
        defer { bench.stopAll() }
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        let samples = bench.tunable("LASTMILE_BENCH_SEARCH_SAMPLES", 200)
        let sizes = (ProcessInfo.processInfo.environment["LASTMILE_BENCH_SEED_SIZES"] ?? "1000000").split(separator: " ").compactMap { Int($0) }
        var rows: [String] = []
        var searches: [String] = []
        for count in sizes {
            bench.step("seed: \(count) customers vs COPY of as many customer rows")
            let (copyDatabase, seedDatabase) = ("copy_\(count)", "seed_\(count)")
            try postgres.psql("postgres", "CREATE DATABASE \(copyDatabase)")
            try postgres.psql("postgres", "CREATE DATABASE \(seedDatabase)")
            // Baseline: \copy of as many rows into a table like `customers` (its keys and search indexes), in a database
            // migrated as the seed's.
            try bench.run("migrate-copy.log", [bench.lastmile, "migrate"], environment: ["LASTMILE_DATABASE_URL": postgres.url(copyDatabase)])
            try postgres.psql(copyDatabase, "CREATE TABLE customers_copy (LIKE customers INCLUDING ALL)")
            let csv = bench.out.appendingPathComponent("customers-\(count).csv")
            try writeLines(count, to: csv) { n in
                let i = n - 1
                let phone = "+79" + String(format: "%09d", (i * 387_420_489) % 1_000_000_000)
                let reversed = String(phone.dropFirst().reversed())
                return "\(UUID().uuidString.lowercased()),\(UUID().uuidString.lowercased()),Иванов Иван Иванович \(i),иванов иван иванович \(i),"
                    + "\(phone),\(reversed),ivan.ivanov\(i)@mail.ru,ivan.ivanov\(i)@mail.ru,active,ru,1700000000000000,1700000000000000"
            }
            defer { try? FileManager.default.removeItem(at: csv) }
            try postgres.psql(copyDatabase, "CHECKPOINT")
            let copySeconds = try timed { try postgres.psql(copyDatabase, "\\copy customers_copy FROM '\(csv.path)' WITH (FORMAT csv)") }
            bench.info("COPY of \(count) customer rows: \(Formatting.fixed(copySeconds, 1)) s")
            try postgres.psql("postgres", "DROP DATABASE \(copyDatabase)")

            let environment = ["LASTMILE_DATABASE_URL": postgres.url(seedDatabase)]
            try bench.run("migrate-seed.log", [bench.lastmile, "migrate"], environment: environment)
            try postgres.psql("postgres", "CHECKPOINT")
            var output = ""
            let seedSeconds = try timed {
                output = try bench.run("seed-\(count).txt", [bench.lastmile, "demo", "seed", "--customers", "\(count)"], environment: environment)
            }
            let prefix = "Time per stage, summed over the batches in flight: "
            let stages = output.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).dropLast()) } ?? "?"
            let counts = try postgres.psql(
                seedDatabase,
                "SELECT (SELECT COUNT(*) FROM users) || ' ' || (SELECT COUNT(*) FROM customers) || ' ' || (SELECT COUNT(*) FROM contracts) || ' ' || "
                    + "(SELECT COUNT(*) FROM billing_accounts) || ' ' || (SELECT COUNT(*) FROM subscriptions)"
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            bench.info("users, customers, contracts, billing accounts, subscriptions: \(counts)")
            let expected = Array(repeating: "\(count)", count: 5).joined(separator: " ")
            rows.append(
                Formatting.row(
                    "`lastmile demo seed --customers \(count)` (\(stages))", "\(Formatting.fixed(seedSeconds, 1)) s",
                    "COPY \(Formatting.fixed(copySeconds, 1)) s", "\(Formatting.fixed(seedSeconds / max(copySeconds, 0.001), 1))×", "< 120 s",
                    counts == expected ? (seedSeconds < 120 ? "yes" : "no") : "no (counts: \(counts))"))

            // Operator search over what was just seeded (one query at a time, so latency, not throughput).
            try postgres.psql(seedDatabase, "VACUUM ANALYZE")
            bench.step("operator search over \(count) customers")
            let report = try bench.run(
                "search-\(count).txt", [bench.bench, "search", "--database-url", postgres.url(seedDatabase), "--samples", "\(samples)"])
            searches.append("```\n\(report.trimmingCharacters(in: .newlines))\n```")
            try postgres.psql("postgres", "DROP DATABASE \(seedDatabase)")
        }
        let section = """
            ## seed

            \(bench.runLine)
            A private PostgreSQL started by `scripts/bench`, durable settings (`fsync`, `synchronous_commit` and
            `full_page_writes` on), `shared_buffers = 512MB`, `max_wal_size = 8GB`, a `CHECKPOINT` before each timed step;
            client and server share the machine's cores. One run of each side: the target is the seed's own time.

            - **Seed**: `lastmile demo seed --customers N` into a freshly migrated database, wall time of the command: per batch
              of 10,000 the generated customers and contracts, then at once their user accounts and their billing accounts with
              one subscription each, each stage one transaction of a few `INSERT … SELECT FROM unnest(…)` statements, two
              batches in flight. The stage times are summed over the batches in flight, so they add up to more than the wall time.
            - **Baseline**: `psql \\copy` of as many synthetic customer rows (CSV) into `CREATE TABLE … (LIKE customers INCLUDING
              ALL)` (its primary key and five search indexes), one of the five tables the seed fills.

            | measurement | platform | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))

            Operator search (`lastmile-bench search`, `SearchBenchmark` in `Benchmarks/BenchKit`) over the seeded customers
            after `VACUUM ANALYZE`: for each of \(samples) random customers, the queries an operator would type for them (family
            and given name, family name alone and its second page, contract number, street and building, phone as typed and its
            last four digits, whole e-mail and its first five characters), one at a time through `CustomersService.search`,
            first page of results; latency in milliseconds and the mean number of hits on the page.

            \(searches.joined(separator: "\n\n"))
            """
        try bench.finish(section: section)
    }
}
