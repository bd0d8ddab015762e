import ArgumentParser
import BenchKit
import Foundation

/// `measure support`: ticket creation through the gateway (priority, the first message, the outbox, assignment) against
/// a pgbench script writing one ticket row and one outbox row per transaction; then operators' queues and full-text
/// search over a million seeded tickets, on a private durable PostgreSQL.
struct MeasureSupport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support",
        abstract: "Tickets/s through the gateway vs pgbench (≥ 50%), time to ticket.assigned; queue and search p99 over 1,000,000 tickets (< 50 ms).")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database; the benchmark makes databases of its own.")
    var postgresURL: String

    func run() async throws {
        let bench = try BenchRun("support", options: options)
        defer { bench.stopAll() }
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        let load = SupportLoadSettings(bench)
        let loadBefore = bench.loadAverage
        let creation = try await SupportCreation(bench: bench, postgres: postgres, load: load).measure()
        let desk = try await measureDesk(bench, postgres, load)
        let section = """
            ## support

            \(bench.runLine)
            A private PostgreSQL started by `scripts/bench`, durable settings (`fsync`, `synchronous_commit` and
            `full_page_writes` on), `shared_buffers = 512MB`, `max_wal_size = 8GB`, a `CHECKPOINT` before each timed step;
            clients and servers share the machine's cores; load average before the run \(loadBefore), at the end \(bench.loadAverage).
            \(bench.method)

            - **Ticket creation**: `lastmile serve` on that PostgreSQL with its first-start demo data, rate limits out of the way,
              \(load.operators) operators registered through `PUT /api/v1/admin/support/agents/{id}` with every skill, both
              languages and at most 500 open tickets each, and set online (beside the demo data's own operator, online with the
              default 20). \(load.customers) of the generated customers, logged
              in with a password set for the benchmark, open tickets with `POST /api/v1/support/tickets` (a Russian subject,
              message and category from `TicketCorpus`) from `lastmile-bench support-tickets`: \(load.clients) AsyncHTTPClient
              clients for \(load.seconds) s per round (at most \(load.operators) × 500 open tickets fit the operators, more than a
              round opens), taking the customers' tokens in turn. For each ticket the gateway looks up the customer's card,
              balance and tariffs; the service reads its priority rules, the customer's recent tickets and known outages, then
              writes the ticket, its first message, its search vector and `ticket.created` in one transaction; the assigner in
              the same process gives it to the least-loaded operator with `ticket.assigned`, and the relay delivers both events
              to their consumers (the CRM timeline) in process, all within the measured time. Between rounds the tickets are closed and moved 90 days back by
              SQL (as if the desk had worked through them), so every round starts with free operators and customers without
              recent tickets. Baseline: `pgbench -n -c \(load.clients) -j 2 -T \(load.seconds)` with a script of one transaction
              inserting one `support_tickets` row (number from the same sequence) and one `outbox_events` row, in a database
              migrated as the platform's (the same tables and indexes).
            - **Time to assignment**: from the instant the client sent the POST to the instant the `ticket.assigned` row of that
              ticket was seen committed in `outbox_events`, which the tool polls every \(load.pollMilliseconds) ms on one
              connection (reading only rows after the last one it saw, so a poll is one short index range scan); a time is
              late by at most one interval and one poll. The median over the rounds of each round's percentiles.
            - **Queues and search**: `lastmile-bench support-seed` adds \(desk.tickets) tickets set-based (\(desk.seedLine))
              with 1 to 3 messages each (Russian, from the same corpus): 80% closed, 4% resolved, 4% waiting for the customer,
              9% open, 3% new; spread over 100 operators; the active and resolved ones opened in the last 14 days, the others over
              two years; each ticket's search vector in the `russian` configuration over its subject and messages. Then
              `VACUUM ANALYZE`, and `lastmile-bench support-queries` times \(load.samples) requests of each kind one at a time
              through `SupportService.tickets(matching:operatorID:page:)` (the service API, no HTTP): an operator's queue (a
              random one of the 100; `mine`, status `open`, by SLA deadline, first page of 50) and a full-text search
              (`queue: all`, one word, one of \(TicketCorpus.searchWords.joined(separator: ", ")) in turn, first page of
              50). Latency in milliseconds and the mean number of tickets on the page.

            | measurement | platform | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(creation.rows.joined(separator: "\n"))
            \(desk.rows.joined(separator: "\n"))

            \(creation.notes)

            ```
            \(desk.report)
            ```
            """
        try bench.finish(section: section)
    }

    /// Seeds the million tickets in a database of their own and times the queue and the search.
    private func measureDesk(_ bench: BenchRun, _ postgres: PostgresServer, _ load: SupportLoadSettings) async throws -> (
        tickets: Int, seedLine: String, rows: [String], report: String
    ) {
        bench.step("queues and search over \(load.tickets) tickets")
        let database = "support_desk"
        try postgres.psql("postgres", "CREATE DATABASE \(database)")
        try bench.run("migrate-desk.log", [bench.lastmile, "migrate"], environment: ["LASTMILE_DATABASE_URL": postgres.url(database)])
        try postgres.psql(database, "CHECKPOINT")
        let seed = try bench.run(
            "desk-seed.txt", [bench.bench, "support-seed", "--database-url", postgres.url(database), "--tickets", "\(load.tickets)"])
        let seeded = ToolOutput.values(seed, with: "tickets")
        try postgres.psql(database, "VACUUM ANALYZE")
        let sizes = try postgres.psql(
            database,
            "SELECT pg_size_pretty(pg_total_relation_size('support_tickets')) || '|' || pg_size_pretty(pg_total_relation_size('support_messages'))"
        ).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        let report = try bench.run(
            "desk-queries.txt",
            [bench.bench, "support-queries", "--database-url", postgres.url(database), "--samples", "\(load.samples)", "--search"])
        let values = ToolOutput.values(report, with: "queue_p99_ms")
        try postgres.psql("postgres", "DROP DATABASE \(database)")
        let row = { (measurement: String, key: String) -> String in
            let p99 = Double(values["\(key)_p99_ms"] ?? "") ?? .infinity
            return Formatting.row(
                measurement,
                "p99 \(values["\(key)_p99_ms"] ?? "?") ms, p50 \(values["\(key)_p50_ms"] ?? "?") ms, \(values["\(key)_hits"] ?? "?") on the page",
                "—", "—", "p99 < 50 ms", p99 < 50 ? "yes" : "no")
        }
        let messages = Int(seeded["messages"] ?? "") ?? 0
        return (
            load.tickets,
            "\(Formatting.fixed(Double(messages), 0)) messages in \(seeded["seconds"] ?? "?") s; tables with their indexes \(sizes.first ?? "?") and "
                + "\(sizes.last ?? "?")",
            [
                row("operator's queue over \(load.tickets) tickets: mine, open, by SLA deadline, first page of 50", "queue"),
                row("full-text search over \(load.tickets) tickets: one Russian word in subjects and messages, first page of 50", "search"),
            ],
            report.split(separator: "\n").filter { !$0.contains("=") }.joined(separator: "\n")
        )
    }
}

/// The support benchmark's tunables.
struct SupportLoadSettings {
    /// Concurrent clients on either side (`LASTMILE_BENCH_SUPPORT_CLIENTS`, 32).
    let clients: Int
    /// Seconds per round of either side (`LASTMILE_BENCH_SUPPORT_SECONDS`, 8): a round opens fewer tickets than the
    /// operators can hold.
    let seconds: Int
    /// Customers opening tickets (`LASTMILE_BENCH_SUPPORT_CUSTOMERS`, 100).
    let customers: Int
    /// Operators online (10).
    let operators = 10
    /// Milliseconds between polls of the outbox (20).
    let pollMilliseconds = 20
    /// Tickets seeded for the queues and search (`LASTMILE_BENCH_SUPPORT_TICKETS`, 1,000,000).
    let tickets: Int
    /// Requests of each kind over them (`LASTMILE_BENCH_SUPPORT_SAMPLES`, 300).
    let samples: Int

    init(_ bench: BenchRun) {
        clients = max(1, bench.tunable("LASTMILE_BENCH_SUPPORT_CLIENTS", 32))
        seconds = max(1, bench.tunable("LASTMILE_BENCH_SUPPORT_SECONDS", 8))
        customers = max(1, bench.tunable("LASTMILE_BENCH_SUPPORT_CUSTOMERS", 100))
        tickets = max(1, bench.tunable("LASTMILE_BENCH_SUPPORT_TICKETS", 1_000_000))
        samples = max(1, bench.tunable("LASTMILE_BENCH_SUPPORT_SAMPLES", 300))
    }
}
