import ArgumentParser
import BenchKit
import Foundation

/// `measure redis`: our RESP client's GET and SET against redis-benchmark with the same connections and pipeline.
struct MeasureRedis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis", abstract: "GET and SET through our RESP client vs redis-benchmark, pipeline 1 and 16 (≥ 70%).")

    @OptionGroup var options: MeasureOptions

    @Option(help: "The private Redis, redis://default:password@127.0.0.1:port/0.")
    var redisURL: String

    func run() async throws {
        let bench = try BenchRun("redis", options: options)
        defer { bench.stopAll() }
        let seconds = bench.tunable("LASTMILE_BENCH_REDIS_SECONDS", 5)
        guard let url = URLComponents(string: redisURL), let port = url.port else { throw BenchFailure("bad --redis-url") }
        let server = ["-h", "127.0.0.1", "-p", "\(port)"] + (url.password.map { ["-a", $0] } ?? [])
        // Keys exist before GET runs, for both clients alike.
        try bench.run(
            "redis-fill.txt", ["redis-benchmark"] + server + ["-c", "50", "-P", "16", "-t", "set", "-n", "200000", "-r", "100000", "-d", "3", "-q"])
        var rows: [String] = []
        let rule = bench.rule(target: 70)
        for pipeline in [1, 16] {
            for test in ["set", "get"] {
                bench.step("\(test.uppercased()), 50 connections, pipeline \(pipeline)")
                var errors = 0
                let result = try await measurePairs(
                    rule,
                    platform: { round in
                        let text = try bench.run(
                            "ours-\(test)-P\(pipeline)-\(round).txt",
                            [
                                bench.bench, "redis", "--url", redisURL, "--test", test, "--connections", "50", "--pipeline", "\(pipeline)",
                                "--seconds", "\(seconds)",
                            ], echo: false)
                        let values = ToolOutput.values(text, with: "ops_per_second")
                        errors += Int(values["errors"] ?? "0") ?? 0
                        return Double(values["ops_per_second"] ?? "") ?? 0
                    },
                    baseline: { round in
                        // Enough requests to run for about as long as one of our runs at redis-benchmark's speed.
                        let requests = pipeline > 1 ? 5_000_000 : 500_000
                        let text = try bench.run(
                            "redis-benchmark-\(test)-P\(pipeline)-\(round).csv",
                            ["redis-benchmark"] + server + [
                                "-c", "50", "-P", "\(pipeline)", "-t", test, "-n", "\(requests)", "-r", "100000", "-d", "3", "--csv",
                            ], echo: false)
                        guard let rate = ToolOutput.redisBenchmarkRate(text) else { throw BenchFailure("no rate in redis-benchmark's output") }
                        return rate
                    }, report: bench.report(test))
                rows.append(
                    Formatting.row(
                        "\(test.uppercased()), 50 connections, pipeline \(pipeline)", "\(Formatting.summary(result.platform)) ops/s",
                        "\(Formatting.summary(result.baseline)) req/s", Formatting.ratio(result), "≥ 70%",
                        Formatting.verdict(rule.verdict(result), problem: errors > 0 ? "\(errors) errors" : nil)))
            }
        }
        let section = """
            ## redis

            \(bench.runLine)
            Our RESP client (`lastmile-bench redis`) against `redis-benchmark -r 100000 -d 3` with the same connections and
            pipeline on the same private `redis-server` (no persistence, a password), client and server sharing the machine's
            cores, one redis-benchmark run against one of ours (\(seconds) s).
            \(bench.method) Ours: pipeline 1 awaits each command (`send`); pipeline 16 sends batches of typed commands
            (`RESPCommand.set`/`.get`) through `RESPConnection.pipeline`. Each connection's loop runs with
            `RESPConnection.taskExecutor` as its executor preference, on the connection's event loop, as redis-benchmark runs
            its connections on its event loop.

            | measurement | ours | redis-benchmark | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))
            """
        try bench.finish(section: section)
    }
}
