import ArgumentParser
import BenchKit
import Foundation

/// `measure billing-providers`: customers' top-ups through the YooKassa stand-in answering after a set latency, against
/// the ideal that latency allows; and balance payments' latency while that provider traffic runs, against none,
/// alternating. `lastmile serve` runs as configured by default apart from the provider and the rate limits.
struct MeasureBillingProviders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-providers",
        abstract: "Provider top-ups/s through the YooKassa stand-in (≥ 50% of clients ÷ latency); balance payments' p99 under that load (≤ 2×).")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database; the benchmark makes a database of its own.")
    var postgresURL: String

    func run() async throws {
        let bench = try BenchRun("billing-providers", options: options)
        defer { bench.stopAll() }
        let load = ProviderLoad(bench)
        let loadBefore = bench.loadAverage
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        try postgres.psql("postgres", "CREATE DATABASE providers")

        bench.step("servers: the YooKassa stand-in (\(load.latency) ms per answer) and lastmile serve on PostgreSQL (first start: demo data)")
        let secret = (0..<4).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
        let standinPort = try freePort()
        let standin = try bench.start(
            "standin.out",
            [
                bench.binaries + "/acquirer-standin", "--provider", "yookassa", "--port", "\(standinPort)", "--account", "bench-shop", "--secret",
                secret,
            ])
        try await bench.waitLine("acquirer-standin: yookassa on", child: standin, seconds: 30)
        let standinURL = "http://127.0.0.1:\(standinPort)"
        // The stand-in decodes a whole `StandinBehaviour`: every key is required.
        let (behaviour, _) = try await bench.http(
            "\(standinURL)/standin/behaviour", method: "POST",
            json: ["latencyMilliseconds": load.latency, "hang": false, "failAfterWork": false, "duplicateNotifications": false])
        guard behaviour == 204 else { throw BenchFailure("the stand-in refused its latency: \(behaviour)") }
        let port = try freePort()
        let site = "http://127.0.0.1:\(port)"
        let serve = try bench.start(
            "serve.out", [bench.lastmile, "serve"],
            environment: [
                "LASTMILE_DATABASE_URL": postgres.url("providers"), "LASTMILE_DATA_DIR": bench.out.appendingPathComponent("data").path,
                "LASTMILE_PORT": "\(port)", "LASTMILE_DEMO_DATA": "true", "LASTMILE_LOG_LEVEL": "warning", "LASTMILE_RATE_LIMIT_API": "100000000",
                "LASTMILE_RATE_LIMIT_CREDENTIALS": "100000000", "LASTMILE_RATE_LIMIT_GLOBAL": "100000000", "LASTMILE_YOOKASSA_SHOP_ID": "bench-shop",
                "LASTMILE_YOOKASSA_SECRET_KEY": secret, "LASTMILE_YOOKASSA_API_URL": "\(standinURL)/v3",
                "LASTMILE_YOOKASSA_RETURN_URL": "\(site)/payments/return",
            ])
        try await bench.waitHTTP("\(site)/health/ready", child: serve, seconds: 180)
        let demo = try await bench.demoLogins(serve)
        try await bench.awaitEmptyOutbox(site: site)

        let people = try await BenchCustomers.prepare(bench, postgres, site: site, demo: demo, topUps: load.clients, payers: load.payers)
        let topUpScript = try ProviderLoadScripts.topUps(bench, tokens: people.topUps, threads: load.threads)
        let payScript = try ProviderLoadScripts.balancePayments(bench, payers: people.payers, pauseMilliseconds: load.pause)
        try postgres.psql("providers", "VACUUM ANALYZE")
        try postgres.psql("providers", "CHECKPOINT")

        // 1. Top-ups/s from the clients, against clients ÷ latency: what they could do if our side took no time.
        bench.step("provider top-ups: \(load.clients) clients, \(load.seconds) s per run, \(load.rounds) runs")
        try bench.run("topups-warmup.wrk", load.topUps(site, topUpScript, seconds: 3), echo: false)
        var topUpRuns: [ToolOutput.Wrk] = []
        for round in 1...load.rounds {
            topUpRuns.append(try load.parse(try bench.run("topups-\(round).wrk", load.topUps(site, topUpScript), echo: false), "topups-\(round)"))
            bench.info("top-ups, run \(round): \(Formatting.fixed(topUpRuns.last!.requestsPerSecond, 1)) req/s")
        }

        // 2. Balance payments alone, and while the same provider load runs (started 2 s before, ended 2 s after). Each
        //    side starts once the outbox is empty: the top-ups' events reach their consumers well after the load ends,
        //    and that work must not land in the side without provider traffic.
        bench.step("balance payments (\(load.payers) clients) without and with the provider load at \(load.heldLatency) ms, alternating")
        let (slower, _) = try await bench.http(
            "\(standinURL)/standin/behaviour", method: "POST",
            json: ["latencyMilliseconds": load.heldLatency, "hang": false, "failAfterWork": false, "duplicateNotifications": false])
        guard slower == 204 else { throw BenchFailure("the stand-in refused its latency: \(slower)") }
        var idle: [ToolOutput.Wrk] = []
        var loaded: [ToolOutput.Wrk] = []
        var during: [ToolOutput.Wrk] = []
        var samples: [PoolSampler.Sample] = []
        let result = try await measurePairs(
            load.latencyRule,
            platform: { round in
                try await bench.awaitEmptyOutbox(site: site)
                let background = try bench.start("topups-during-\(round).wrk", load.topUps(site, topUpScript, seconds: load.seconds + 4))
                try await Task.sleep(for: .seconds(2))
                let sampler = PoolSampler(url: postgresURL, database: "providers")
                loaded.append(
                    try load.parse(try bench.run("balance-loaded-\(round).wrk", load.payments(site, payScript), echo: false), "balance-loaded"))
                samples += await sampler.stop()
                background.process.waitUntilExit()
                during.append(try load.parse((try? String(contentsOf: background.stdout, encoding: .utf8)) ?? "", "topups-during-\(round)"))
                return loaded.last!.p99Milliseconds
            },
            baseline: { round in
                try await bench.awaitEmptyOutbox(site: site)
                idle.append(try load.parse(try bench.run("balance-idle-\(round).wrk", load.payments(site, payScript), echo: false), "balance"))
                return idle.last!.p99Milliseconds
            }, report: bench.report("balance p99 ms with provider load vs without"))
        bench.stopAll()
        try postgres.psql("postgres", "DROP DATABASE providers")

        let rows = ProviderRows(load: load)
        let section = """
            ## billing-providers

            \(bench.runLine)
            The private PostgreSQL of `## billing` (durable settings); `lastmile serve` on it with its first-start demo data,
            `LASTMILE_LOG_LEVEL=warning` and rate limits out of the way, its database pool left at its default (at most 20
            connections; \(ProviderRows.pool(samples))), its YooKassa provider pointed at
            `acquirer-standin --provider yookassa` (the release build), which waits \(load.latency) ms before every API answer.
            Customers: \(load.clients + load.payers) of the generated ones, logged in with a password set for the benchmark;
            the load is wrk with generated Lua scripts, a fresh `Idempotency-Key` per request. Client, server, stand-in and
            PostgreSQL share the machine's cores; load average before the run \(loadBefore), at the end \(bench.loadAverage).\(Self.busyNote(loadBefore)) The provider calls go through
            one AsyncHTTPClient pool with up to 256 connections per provider host (`ProviderHTTPClient.maximumConnectionsPerProvider`);
            with the library's default of 8, the top-ups stopped at 74/s (11.6% of the ideal) whatever the server could do.

            - **Top-ups**: `POST /api/v1/billing/top-up` (100 RUB through `yookassa`, each answered 201 with the pending
              payment and its confirmation URL once the stand-in answered), wrk `-t\(load.threads) -c\(load.clients) --latency`,
              the requests taking the \(load.clients) customers' tokens in turn; \(load.rounds) runs of \(load.seconds) s after a
              3 s warm-up, each run's rate against the ideal of \(load.clients) clients ÷ \(load.latency) ms =
              \(Formatting.fixed(load.ideal)) req/s.
            - **Balance payments under provider traffic**: `POST /api/v1/billing/pay` (1 kopeck of an issued invoice from
              the balance), wrk `-t1 -c\(load.payers)`, each client pausing \(load.pause) ms between payments, for \(load.seconds) s,
              once with nothing else running and once while the \(load.clients) top-up clients run against a stand-in now
              answering after \(load.heldLatency) ms (started 2 s before, ending 2 s after): \(load.clients) provider calls always
              in flight, more than the pool's 20 connections, at a rate (≤ \(Formatting.fixed(load.heldIdeal)) /s) that leaves
              CPU to spare — a pool held across provider calls would run out and the payments would queue for it.
              Alternating, each side once the outbox is empty (the top-ups' events belong to the loaded side); the
              pool samples above say how many connections were busy. The ratio is the loaded run's p99 over the idle run's, paired as the other sections'
              ratios are; it is unstable past ± 0.5×, and at most \(load.latencyRule.maximumRounds) rounds run.

            | measurement | platform | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(rows.topUps(topUpRuns))
            \(rows.balance(result, idle: idle, loaded: loaded))
            \(rows.during(during))
            """
        try bench.finish(section: section)
    }

    /// A warning when the machine had more runnable work than cores before the run began (`loadAverage` is the
    /// 1, 5 and 15 minutes' figures): other work shared it, and the figures are to be taken again.
    private static func busyNote(_ loadAverage: String) -> String {
        let load = loadAverage.split(separator: " ").first.flatMap { Double($0) } ?? 0
        guard load > Double(ProcessInfo.processInfo.activeProcessorCount) else { return "" }
        return " Other work shared the machine during this run (load above its cores): the figures are to be taken again on a quiet one."
    }
}
