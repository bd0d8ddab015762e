import BenchKit
import Foundation

/// The provider benchmark's tunables and the wrk command lines they make.
struct ProviderLoad {
    /// Seconds per wrk run (`LASTMILE_BENCH_PROVIDER_SECONDS`, 10).
    let seconds: Int
    /// The stand-in's milliseconds per answer (`LASTMILE_BENCH_PROVIDER_LATENCY_MS`, 100).
    let latency: Int
    /// The stand-in's latency while balance payments are timed (ms): slow enough that the top-ups keep every client's
    /// call in flight at the provider (more calls than the pool has connections) without saturating the CPU, so that a
    /// pool held across provider calls would show and the CPU would not.
    let heldLatency: Int
    /// Concurrent top-up clients, one customer each (`LASTMILE_BENCH_PROVIDER_CLIENTS`, 64).
    let clients: Int
    /// Concurrent balance-payment clients (`LASTMILE_BENCH_BALANCE_CLIENTS`, 4).
    let payers: Int
    /// Each balance client's pause between payments, in milliseconds (`LASTMILE_BENCH_BALANCE_PAUSE_MS`, 20).
    let pause: Int
    /// Top-up runs in the rate measurement (`LASTMILE_BENCH_PROVIDER_ROUNDS`, 3).
    let rounds: Int
    /// The rule of the latency ratio: ≤ 2×, unstable past ± 0.5×, the usual rounds but at most
    /// `LASTMILE_BENCH_PROVIDER_MAX_ROUNDS` (5) to keep the benchmark within minutes.
    let latencyRule: RatioRule

    init(_ bench: BenchRun) {
        seconds = max(1, bench.tunable("LASTMILE_BENCH_PROVIDER_SECONDS", 10))
        latency = max(1, bench.tunable("LASTMILE_BENCH_PROVIDER_LATENCY_MS", 100))
        heldLatency = max(1, bench.tunable("LASTMILE_BENCH_PROVIDER_HELD_LATENCY_MS", 2000))
        clients = max(2, bench.tunable("LASTMILE_BENCH_PROVIDER_CLIENTS", 64))
        payers = max(1, bench.tunable("LASTMILE_BENCH_BALANCE_CLIENTS", 4))
        pause = max(0, bench.tunable("LASTMILE_BENCH_BALANCE_PAUSE_MS", 20))
        rounds = max(1, bench.tunable("LASTMILE_BENCH_PROVIDER_ROUNDS", 3))
        var rule = bench.rule(target: 200, higherIsBetter: false, tolerance: 50)
        rule.maximumRounds = max(rule.minimumRounds, min(rule.maximumRounds, bench.tunable("LASTMILE_BENCH_PROVIDER_MAX_ROUNDS", 5)))
        latencyRule = rule
    }

    /// wrk's threads for the top-ups.
    var threads: Int { 2 }

    /// The top-ups/s the clients would reach if only the provider took time.
    var ideal: Double { Double(clients) * 1000 / Double(latency) }
    /// The top-ups' ideal rate while balance payments are timed.
    var heldIdeal: Double { Double(clients) * 1000 / Double(heldLatency) }

    /// The wrk command of a top-up run.
    func topUps(_ site: String, _ script: String, seconds: Int? = nil) -> [String] {
        [
            "wrk", "-t\(threads)", "-c\(clients)", "-d\(seconds ?? self.seconds)s", "--latency", "--timeout", "10s", "-s", script,
            "\(site)/api/v1/billing/top-up", "--", UUID().uuidString,
        ]
    }

    /// The wrk command of a balance-payment run.
    func payments(_ site: String, _ script: String) -> [String] {
        [
            "wrk", "-t1", "-c\(payers)", "-d\(seconds)s", "--latency", "--timeout", "10s", "-s", script, "\(site)/api/v1/billing/pay", "--",
            UUID().uuidString,
        ]
    }

    /// wrk's report read, or a failure naming the run.
    func parse(_ text: String, _ label: String) throws -> ToolOutput.Wrk {
        guard let result = ToolOutput.wrk(text) else { throw BenchFailure("no Requests/sec in wrk's report of \(label)") }
        return result
    }
}

/// The provider benchmark's table rows.
struct ProviderRows {
    let load: ProviderLoad

    /// Top-ups/s against the ideal: each run's rate as a share of it, the median run's verdict against 50%, and "no"
    /// whenever a run saw errors.
    func topUps(_ runs: [ToolOutput.Wrk]) -> String {
        let rates = Summary(runs.map(\.requestsPerSecond))
        let shares = Summary(runs.map { 100 * $0.requestsPerSecond / load.ideal })
        let errors = runs.map(\.errors).reduce(0, +)
        return Formatting.row(
            "provider top-ups `POST /api/v1/billing/top-up` through the YooKassa stand-in at \(load.latency) ms, \(load.clients) clients",
            "\(Formatting.summary(rates, decimals: 1)) req/s, p50 \(median(runs.map(\.p50Milliseconds))) ms, p99 \(median(runs.map(\.p99Milliseconds))) ms",
            "ideal \(Formatting.fixed(load.ideal)) req/s (\(load.clients) ÷ \(load.latency) ms)",
            "\(Formatting.fixed(shares.median, 1))% (\(Formatting.fixed(shares.minimum, 1))–\(Formatting.fixed(shares.maximum, 1))%, \(runs.count) runs)",
            "≥ 50%", Formatting.verdict(shares.median >= 50 ? .met : .missed, problem: errors > 0 ? "\(errors) non-2xx or socket errors" : nil))
    }

    /// Balance payments' p99 with the provider load over without, paired.
    func balance(_ result: PairedResult, idle: [ToolOutput.Wrk], loaded: [ToolOutput.Wrk]) -> String {
        let errors = (idle + loaded).map(\.errors).reduce(0, +)
        let side = { (runs: [ToolOutput.Wrk], p99: Summary) in
            "p99 \(Formatting.summary(p99, decimals: 2)) ms, p50 \(self.median(runs.map(\.p50Milliseconds))) ms, "
                + "\(Formatting.fixed(Statistics.median(runs.map(\.requestsPerSecond)), 1)) payments/s"
        }
        return Formatting.row(
            "balance payments `POST /api/v1/billing/pay`, \(load.payers) clients (\(load.pause) ms pauses): during the \(load.clients)-client top-ups vs alone",
            side(loaded, result.platform), side(idle, result.baseline), Formatting.ratio(result, asFactor: true), "≤ 2×",
            Formatting.verdict(load.latencyRule.verdict(result), problem: errors > 0 ? "\(errors) non-2xx or socket errors" : nil))
    }

    /// What the top-ups did while the balance payments ran beside them, for the record.
    func during(_ runs: [ToolOutput.Wrk]) -> String {
        let errors = runs.map(\.errors).reduce(0, +)
        return Formatting.row(
            "provider top-ups during those loaded rounds (\(load.seconds + 4) s each, stand-in at \(load.heldLatency) ms)",
            "\(Formatting.summary(Summary(runs.map(\.requestsPerSecond)), decimals: 1)) req/s, p99 \(median(runs.map(\.p99Milliseconds))) ms",
            "ideal \(Formatting.fixed(load.heldIdeal)) req/s",
            "\(Formatting.fixed(100 * Statistics.median(runs.map(\.requestsPerSecond)) / load.heldIdeal, 1))%", "—",
            errors > 0 ? "(\(errors) non-2xx or socket errors)" : "(shown)")
    }

    /// What the pool samples of the loaded rounds say: the connections held, and how many were busy.
    static func pool(_ samples: [PoolSampler.Sample]) -> String {
        guard !samples.isEmpty else { return "no samples of its connections were taken" }
        let busy = samples.map { Double($0.busy) }.sorted()
        return "sampled every 0.5 s during the loaded rounds, it held \(samples.map(\.held).max() ?? 0) and had "
            + "\(Formatting.fixed(Statistics.median(busy))) busy at the median, \(Formatting.fixed(Statistics.percentile(busy, 0.9))) at the 90th "
            + "percentile and \(Formatting.fixed(busy.last ?? 0)) at most, of \(samples.count) samples"
    }

    private func median(_ values: [Double]) -> String { Formatting.fixed(Statistics.median(values), 2) }
}
