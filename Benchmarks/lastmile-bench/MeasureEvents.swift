import ArgumentParser
import BenchKit
import Foundation

/// `measure events`: publishes with confirms against Python's pika, then events end to end through outbox → relay →
/// RabbitMQ → consumer with inbox.
struct MeasureEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Publishes with confirms vs pika (≥ 100%); events end to end (≥ 5,000/s, p99 lag < 1 s).")

    @OptionGroup var options: MeasureOptions

    @Option(help: "The private RabbitMQ, amqp://user:password@127.0.0.1:port/vhost.")
    var amqpURL: String

    @Option(help: "A URL of the private PostgreSQL's `postgres` database, as a user that may create databases.")
    var postgresURL: String

    @Option(help: "The pika baseline script.")
    var pikaScript = "Benchmarks/baselines/pika-publish.py"

    func run() async throws {
        let bench = try BenchRun("events", options: options)
        defer { bench.stopAll() }
        let count = bench.tunable("LASTMILE_BENCH_EVENTS", 100_000)
        let rate = bench.tunable("LASTMILE_BENCH_EVENTS_RATE", 6_000)
        let publishes = bench.tunable("LASTMILE_BENCH_PUBLISHES", 100_000)
        let loadBefore = bench.loadAverage
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        try postgres.psql("postgres", "CREATE DATABASE events")
        let eventsURL = postgres.url("events")

        // 1. Raw publishes with confirms, 300-byte persistent messages into one quorum queue, each side keeping 2,000
        //    messages unconfirmed at most.
        bench.step("publish with confirms: ours (batches of 500, 4 in flight) vs pika (SelectConnection, window 2,000)")
        let rule = bench.rule(target: 100)
        let publish = try await measurePairs(
            rule,
            platform: { round in
                let text = try bench.run(
                    "ours-\(round).txt",
                    [
                        bench.bench, "events", "--mode", "publish", "--amqp-url", amqpURL, "--count", "\(publishes)", "--batch", "500", "--in-flight",
                        "4",
                    ])
                return Double(ToolOutput.values(text, with: "messages_per_second")["messages_per_second"] ?? "") ?? 0
            },
            baseline: { round in
                let text = try bench.run("pika-\(round).txt", ["python3", pikaScript, amqpURL, "bench.publish", "\(publishes)", "2000", "300"])
                guard let rate = Double(ToolOutput.values(text, with: "messages_per_second")["messages_per_second"] ?? "") else {
                    throw BenchFailure("pika printed no rate")
                }
                return rate
            }, report: bench.report("publish"))
        let pikaVersion =
            (try? bench.run("pika-version.txt", ["python3", "-c", "import pika; print(pika.__version__)"], echo: false))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"

        // 2. End to end at a steady offered rate (lag), draining a full outbox (capacity), and the batch handler.
        var rows: [String] = []
        for (label, handler, offered) in [("steady", "single", rate), ("drain", "single", 0), ("batch", "batch", rate)] {
            bench.step(
                "end to end: \(count) events, \(offered == 0 ? "appended first, then drained" : "offered at \(offered)/s"), \(handler) handler")
            let text = try bench.run(
                "e2e-\(label).txt",
                [
                    bench.bench, "events", "--mode", "e2e", "--handler", handler, "--amqp-url", amqpURL, "--postgres-url", eventsURL, "--count",
                    "\(count)", "--rate", "\(offered)",
                ])
            let values = ToolOutput.values(text, with: "events_per_second")
            let eventsPerSecond = Double(values["events_per_second"] ?? "") ?? 0
            let p99 = Double(values["lag_p99_ms"] ?? "") ?? .infinity
            let lag = offered == 0 ? "" : ", lag p50 \(values["lag_p50_ms"] ?? "?") ms, p99 \(values["lag_p99_ms"] ?? "?") ms"
            let met = eventsPerSecond >= 5000 && (offered == 0 || p99 < 1000)
            let what =
                offered == 0
                ? "end to end, \(count) events drained from a full outbox"
                : "end to end, \(count) events offered at \(offered)/s\(handler == "batch" ? ", batch handler" : "")"
            rows.append(
                Formatting.row(
                    what, "\(values["events_per_second"] ?? "?") events/s\(lag)", "—", "—", offered == 0 ? "≥ 5,000/s" : "≥ 5,000/s, p99 < 1 s",
                    values["exactly_once"] == "yes" ? (met ? "yes" : "no") : "no (not exactly once)"))
        }
        try postgres.psql("postgres", "DROP DATABASE events")

        let publishRow = Formatting.row(
            "publish with confirms", "\(Formatting.summary(publish.platform)) msg/s", "pika \(Formatting.summary(publish.baseline)) msg/s",
            Formatting.ratio(publish), "≥ 100%", Formatting.verdict(rule.verdict(publish)))
        let section = """
            ## events

            \(bench.runLine)
            A private RabbitMQ node (default settings: quorum queues write and fsync their log) and a private PostgreSQL
            configured as `scripts/test` starts it (`fsync`, `synchronous_commit` and `full_page_writes` off), both started by
            `scripts/bench`; clients and servers share the machine's cores (load average before the run: \(loadBefore)).
            Other work on the machine moves these figures a lot. \(bench.method)

            - **Publish with confirms**: \(publishes) persistent 300-byte messages into one quorum queue. Baseline: Python
              `pika` \(pikaVersion) with its asynchronous `SelectConnection`, publisher confirms and a window of 2,000
              unconfirmed messages (`Benchmarks/baselines/pika-publish.py`). Ours: `lastmile-bench events --mode publish`,
              `AMQPClient.startPublishing(batch:)` with batches of 500 and 4 in flight (the same 2,000 unconfirmed at most).
            - **End to end**: `lastmile-bench events --mode e2e`: events appended to `outbox_events` (multi-row inserts, one
              transaction per 10 ms at the offered rate) → `OutboxRelay` (batches of 500, 4 in flight, marked sent after the
              broker's confirms) → `lastmile.events` → the consumer's quorum queue → `AMQPEventConsumerRunner` (prefetch 1,000,
              4 workers, batches of up to 100 in one transaction: the batch's inbox rows in one statement, then the handler,
              then commit, then one `multiple` ack). The handler inserts one row per event (`INSERT` per event, as most
              consumers are written), or with `EventConsumer.batched(…)` one multi-row `INSERT` per batch. Lag = consumer
              commit time − `occurred_at`. Exactly once = as many handler rows, distinct event ids and inbox rows as events.
              One run each.

            | measurement | ours | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(publishRow)
            \(rows.joined(separator: "\n"))
            """
        try bench.finish(section: section)
    }
}
