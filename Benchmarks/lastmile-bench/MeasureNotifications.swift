import ArgumentParser
import BenchKit
import Foundation

/// `measure notifications`: e-mails/s through our SMTP client against Postfix's `smtp-source` into the same
/// `smtp-sink`; then the monthly run of `--customers` customers through `lastmile serve` to e-mails the sink accepted:
/// the total time and the lag from each `invoice.created` to its e-mail's acceptance.
struct MeasureNotifications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "E-mails/s through our SMTP client vs smtp-source (≥ 100%); invoice.created → e-mails accepted: total time and p99 lag.")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database.")
    var postgresURL: String

    @Option(help: "The port of the smtp-sink on 127.0.0.1.")
    var sinkPort: Int

    func run() async throws {
        let bench = try BenchRun("notifications", options: options)
        defer { bench.stopAll() }
        let loadBefore = bench.loadAverage
        let connections = bench.tunable("LASTMILE_BENCH_SMTP_CONNECTIONS", 10)
        let messages = bench.tunable("LASTMILE_BENCH_SMTP_MESSAGES", 20_000)
        let customers = bench.tunable("LASTMILE_BENCH_NOTIFY_CUSTOMERS", 100_000)
        let sink = "127.0.0.1:\(sinkPort)"

        bench.step("e-mails/s: our SMTP client vs smtp-source, \(connections) connections, \(messages) messages of 2 KiB, alternating")
        let rule = bench.rule(target: 100)
        let throughput = try await measurePairs(
            rule,
            platform: { round in
                let text = try bench.run(
                    "ours-\(round).txt",
                    [
                        bench.bench, "smtp", "--url", "smtp://\(sink)?tls=none", "--connections", "\(connections)", "--messages", "\(messages)",
                        "--size", "2048",
                    ], echo: false)
                return Double(ToolOutput.values(text, with: "messages_per_second")["messages_per_second"] ?? "") ?? 0
            },
            baseline: { round in
                let seconds = try timed {
                    try bench.run(
                        "smtp-source-\(round).txt",
                        [
                            "smtp-source", "-s", "\(connections)", "-m", "\(messages)", "-l", "2048", "-d", "-f", "bench@lastmile.local", "-t",
                            "sink@lastmile.local", sink,
                        ],
                        echo: false)
                }
                return Double(messages) / seconds
            }, report: bench.report("e-mails/s"))
        let throughputRow = Formatting.row(
            "e-mails/s, \(connections) connections, 2 KiB", "\(Formatting.summary(throughput.platform)) msg/s",
            "\(Formatting.summary(throughput.baseline)) msg/s", Formatting.ratio(throughput), "≥ 100%", Formatting.verdict(rule.verdict(throughput)))

        bench.step("the monthly run of \(customers) customers → e-mails accepted by smtp-sink, through lastmile serve")
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        let database = "notify"
        try postgres.psql("postgres", "CREATE DATABASE \(database)")
        let environment = ["LASTMILE_DATABASE_URL": postgres.url(database), "LASTMILE_LOG_LEVEL": "warning"]
        try bench.run("migrate.log", [bench.lastmile, "migrate"], environment: environment)
        try bench.run("seed.log", [bench.lastmile, "demo", "seed", "--customers", "\(customers)"], environment: environment)
        let port = try freePort()
        let serve = try bench.start(
            "serve.out", [bench.lastmile, "serve"],
            environment: environment.merging([
                "LASTMILE_PORT": "\(port)", "LASTMILE_DATA_DIR": bench.out.appendingPathComponent("data").path, "LASTMILE_DEMO_DATA": "false",
                "LASTMILE_SMTP_URL": "smtp://\(sink)?tls=none", "LASTMILE_SMTP_FROM": "LastMile <billing@lastmile.local>",
                "LASTMILE_SMS_PROVIDER": "none", "LASTMILE_WEBPUSH": "false",
            ]) { $1 })
        try await bench.waitHTTP("http://127.0.0.1:\(port)/health/ready", child: serve, seconds: 180)
        let started = Date()
        var sent = 0
        while sent < customers {
            guard Date().timeIntervalSince(started) < 3600 else { throw BenchFailure("only \(sent) of \(customers) e-mails sent within an hour") }
            try await Task.sleep(for: .seconds(2))
            sent =
                Int(
                    try postgres.psql(database, "SELECT COUNT(*) FROM notification_deliveries WHERE state = 'sent' AND channel = 'email'")
                        .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            bench.info("\(sent) e-mails sent")
        }
        serve.stop()
        let stats = try postgres.psql(
            database,
            """
            SELECT (MAX(d.sent_at) - MIN(n.created_at)) / 1e6, percentile_cont(0.5) WITHIN GROUP (ORDER BY d.sent_at - n.created_at) / 1e6,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY d.sent_at - n.created_at) / 1e6, MAX(d.sent_at - n.created_at) / 1e6,
                (SELECT COUNT(*) FROM notification_deliveries WHERE state <> 'sent')
            FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE d.channel = 'email' AND n.kind = 'invoice.created'
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map { Double($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
        guard stats.count == 5 else { throw BenchFailure("no statistics of the deliveries") }
        let (total, p50, p99, worst, unsent) = (stats[0], stats[1], stats[2], stats[3], Int(stats[4]))
        let pipelineRow = Formatting.row(
            "\(customers) invoice.created → e-mails accepted", String(format: "%.1f s (%.0f e-mails/s)", total, Double(customers) / total),
            "—", "—", "—", unsent == 0 ? "measured" : "\(unsent) not sent")
        let lagRow = Formatting.row(
            "lag from invoice.created to acceptance", String(format: "p50 %.1f s, p99 %.1f s, max %.1f s", p50, p99, worst), "—", "—", "—",
            "measured")

        let section = """
            ## notifications

            \(bench.runLine)
            Postfix's `smtp-sink` (Debian's `postfix` package, not started as a mail server) on loopback accepts everything
            and keeps nothing; clients and servers share the machine's cores; load average before the run \(loadBefore), at
            the end \(bench.loadAverage).
            \(bench.method)

            - **E-mails/s**: `lastmile-bench smtp`, our SMTP client's pool of \(connections) connections with up to 4 messages
              given to each (MIME rendering, dot-stuffing, `MAIL`/`RCPT`/`DATA` pipelined as the sink offers, and the next
              message's commands sent right behind the current message's content, RFC 2920 §3.1), against
              `smtp-source -s \(connections) -m \(messages) -l 2048 -d` (the same sessions, each reused for its messages);
              \(messages) messages with 2 KiB bodies per run, one run of each per round.
            - **The monthly run to e-mails**: `lastmile demo seed --customers \(customers)` on a private PostgreSQL, then
              `lastmile serve` with `LASTMILE_SMTP_URL` at the sink: its scheduler runs the month at start, each
              `invoice.created` goes through the notification service's consumer (a notification row in the event's inbox
              transaction), routing (the customer's card from the customer service, preferences, rendering in Russian)
              and the sender (claimed with `SKIP LOCKED`, sent with no transaction open, the outcome recorded). Total: from
              the first invoice event to the last e-mail accepted; lag: each e-mail's acceptance minus its event's time.

            | measurement | ours | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(throughputRow)
            \(pipelineRow)
            \(lagRow)
            """
        try bench.finish(section: section)
    }
}
