// `lastmile-bench measure NAME`: one benchmark end to end against the servers scripts/bench started, its baselines run
// as child processes, figures compared in alternating pairs, and its section of docs/benchmarks.md written.

import ArgumentParser
import BenchKit
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The benchmarks, one subcommand each.
struct Measure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Run one benchmark against its baseline and write its section of docs/benchmarks.md.",
        subcommands: [
            MeasureAuth.self, MeasureRedis.self, MeasureBilling.self, MeasureBillingProviders.self, MeasureEvents.self, MeasureSeed.self,
            MeasureDistributed.self, MeasureSupport.self, MeasureNotifications.self, MeasurePush.self,
        ]
    )
}

/// The options every benchmark takes.
struct MeasureOptions: ParsableArguments {
    @Option(help: "Folder for raw outputs (tool reports, server logs).")
    var out: String

    @Option(help: "The benchmarks document to rewrite the section of; without it the section is only printed.")
    var docs: String?
}

/// A failure that ends a benchmark, said in words.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One benchmark's run: where raw outputs go, the children it started (stopped by `stopAll`), the tunables.
final class BenchRun {
    let name: String
    let out: URL
    let docs: String?
    /// The folder holding this executable and `lastmile`.
    let binaries: String
    private var children: [Child] = []

    init(_ name: String, options: MeasureOptions) throws {
        self.name = name
        out = URL(fileURLWithPath: options.out)
        docs = options.docs
        binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    }

    /// This executable.
    var bench: String { binaries + "/lastmile-bench" }
    /// The platform's executable.
    var lastmile: String { binaries + "/lastmile" }

    /// An integer tunable from the environment.
    func tunable(_ key: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[key].flatMap { Int($0) } ?? fallback
    }

    /// The rule of a ratio: LASTMILE_BENCH_ROUNDS and LASTMILE_BENCH_MAX_ROUNDS override 5 and 15 rounds.
    func rule(target: Double, higherIsBetter: Bool = true, tolerance: Double = 10) -> RatioRule {
        RatioRule(
            target: target, higherIsBetter: higherIsBetter, tolerance: tolerance, minimumRounds: tunable("LASTMILE_BENCH_ROUNDS", 5),
            maximumRounds: tunable("LASTMILE_BENCH_MAX_ROUNDS", 15))
    }

    /// A command line as printed: passwords in URLs and after `--password`, and bearer tokens, left out.
    func shown(_ arguments: [String]) -> String {
        zip([""] + arguments, arguments).map { previous, argument in
            if ["--password", "-a", "--secret"].contains(previous) { return "***" }
            if argument.hasPrefix("Authorization: Bearer ") { return "'Authorization: Bearer …'" }
            return argument.contains("://") ? hidePassword(argument) : argument
        }.joined(separator: " ")
    }

    /// How the ratios of a section were measured, for its text.
    var method: String {
        let rule = rule(target: 0)
        return """
            Each ratio alternates the platform and its baseline (the baseline first in odd rounds) for at least \(rule.minimumRounds)
            rounds; it is the median of the rounds' ratios ± half their range, "unstable" when that is over 10 points (then more
            rounds run until the median settles, \(rule.maximumRounds) at most); figures are each side's median with its range.
            """
    }

    /// Prints a step's title.
    func step(_ title: String) { say("\n==== \(title) ====") }
    /// Prints a line of progress.
    func info(_ line: String) { say("  \(line)") }

    /// Runs `arguments` (looked up on PATH) to the end with stdout saved to `label` in the output folder and stderr
    /// to `label.err`; returns stdout. A non-zero exit throws with the end of stderr.
    @discardableResult
    func run(
        _ label: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil, echo: Bool = true
    ) throws -> String {
        info(shown(arguments))
        var stdin: URL?
        if let input {
            stdin = out.appendingPathComponent(label + ".in")
            try input.write(to: stdin!, atomically: true, encoding: .utf8)
        }
        defer { if let stdin { try? FileManager.default.removeItem(at: stdin) } }
        let child = try Child(arguments, stdout: out.appendingPathComponent(label), environment: environment, stdin: stdin)
        child.process.waitUntilExit()
        let output = (try? String(contentsOf: child.stdout, encoding: .utf8)) ?? ""
        if echo { for line in output.split(separator: "\n") { say("    \(line)") } }
        guard child.process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: child.stderr, encoding: .utf8)) ?? ""
            throw BenchFailure("\(arguments[0]) exited \(child.process.terminationStatus): \(errors.suffix(2000))")
        }
        return output
    }

    /// Starts a server in the background; `stop` or `stopAll` ends it.
    func start(_ label: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Child {
        info("starting \(shown(arguments)) (log: \(out.path)/\(label))")
        let child = try Child(arguments, stdout: out.appendingPathComponent(label), environment: environment)
        children.append(child)
        return child
    }

    /// Stops every server this run started.
    func stopAll() {
        for child in children.reversed() { child.stop() }
        children.removeAll()
    }

    /// Waits for a 200 from `url` while `child` runs.
    func waitHTTP(_ url: String, child: Child, seconds: Double) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            guard child.process.isRunning else { throw BenchFailure("\(child.label) exited; its log: \(child.stderr.path)") }
            if let answer = try? await http(url), answer.0 == 200 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw BenchFailure("\(url) did not answer 200 within \(Int(seconds)) s; log: \(child.stderr.path)")
    }

    /// Waits until `child` has written a line starting with `prefix` to its standard output.
    func waitLine(_ prefix: String, child: Child, seconds: Double) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: child.stdout, encoding: .utf8)) ?? ""
            if text.split(separator: "\n").contains(where: { $0.hasPrefix(prefix) }) { return }
            guard child.process.isRunning else { throw BenchFailure("\(child.label) exited; its log: \(child.stderr.path)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("\(child.label) did not say \"\(prefix)\" within \(Int(seconds)) s; log: \(child.stderr.path)")
    }

    /// One HTTP request; the status and the body.
    func http(_ url: String, method: String = "GET", headers: [String: String] = [:], json: [String: Any]? = nil) async throws -> (Int, Data) {
        guard let target = URL(string: url) else { throw BenchFailure("bad URL \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A short warm-up, then one measured `wrk --latency` run (LASTMILE_BENCH_DURATION seconds, default 20).
    func wrk(_ label: String, _ url: String, headers: [String] = [], script: String? = nil) throws -> ToolOutput.Wrk {
        let headerArguments = headers.flatMap { ["-H", $0] } + (script.map { ["-s", $0] } ?? [])
        try run("\(label)-warmup.wrk", ["wrk", "-t2", "-c64", "-d3s"] + headerArguments + [url], echo: false)
        let text = try run(
            "\(label).wrk", ["wrk", "-t2", "-c64", "-d\(wrkSeconds)s", "--latency"] + headerArguments + [url], echo: false)
        guard let result = ToolOutput.wrk(text) else { throw BenchFailure("no Requests/sec in \(out.path)/\(label).wrk") }
        info("\(label): \(Formatting.fixed(result.requestsPerSecond, 2)) req/s, p99 \(Formatting.fixed(result.p99Milliseconds, 2)) ms")
        return result
    }

    /// A table row comparing two HTTP endpoints with wrk in alternating rounds: the rates with their ranges, the median
    /// p99s, the median ratio, and the verdict against `target` (percent), "no" whenever a run saw errors.
    func wrkRow(
        _ measurement: String, target: Double, ours: (label: String, url: String, headers: [String]), baseline: (label: String, url: String),
        baselineHeaders: [String] = [], script: String? = nil
    ) async throws -> String {
        var oursRuns: [ToolOutput.Wrk] = []
        var baselineRuns: [ToolOutput.Wrk] = []
        let ratioRule = self.rule(target: target)
        let result = try await measurePairs(
            ratioRule,
            platform: { round in
                oursRuns.append(try wrk("\(ours.label)-\(round)", ours.url, headers: ours.headers, script: script))
                return oursRuns.last!.requestsPerSecond
            },
            baseline: { round in
                baselineRuns.append(try wrk("\(baseline.label)-\(round)", baseline.url, headers: baselineHeaders, script: script))
                return baselineRuns.last!.requestsPerSecond
            }, report: report(ours.label))
        let errors = (oursRuns + baselineRuns).map(\.errors).reduce(0, +)
        let p99 = { (runs: [ToolOutput.Wrk]) in Formatting.fixed(Statistics.median(runs.map(\.p99Milliseconds)), 2) }
        return Formatting.row(
            measurement, "\(Formatting.summary(result.platform)) req/s, p99 \(p99(oursRuns)) ms",
            "\(Formatting.summary(result.baseline)) req/s, p99 \(p99(baselineRuns)) ms", Formatting.ratio(result), "≥ \(Int(target))%",
            Formatting.verdict(ratioRule.verdict(result), problem: errors > 0 ? "\(errors) non-2xx or socket errors" : nil))
    }

    /// The demo logins a first `lastmile serve` start printed (`admin EMAIL PASSWORD`, `customer EMAIL PASSWORD`).
    func demoLogins(_ child: Child) async throws -> (admin: (email: String, password: String), customer: (email: String, password: String)) {
        for _ in 0..<80 {
            let lines = ((try? String(contentsOf: child.stdout, encoding: .utf8)) ?? "").split(separator: "\n")
                .map { $0.split(separator: " ").map(String.init) }
            if let admin = lines.first(where: { $0.first == "admin" && $0.count >= 3 }),
                let customer = lines.first(where: { $0.first == "customer" && $0.count >= 3 })
            {
                return ((admin[1], admin[2]), (customer[1], customer[2]))
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw BenchFailure("lastmile serve printed no demo logins (\(child.stdout.path))")
    }

    /// Waits until the process at `site` reports an empty outbox three seconds in a row: a first start's demo data sends
    /// its events in the background, and a measurement should not share the cores with that.
    func awaitEmptyOutbox(site: String) async throws {
        var settled = 0
        for _ in 0..<600 where settled < 3 {
            let (_, metrics) = try await http("\(site)/metrics")
            let pending = String(decoding: metrics, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("events_outbox_pending ") }.flatMap { Double($0.split(separator: " ")[1]) }
            settled = pending == 0 ? settled + 1 : 0
            if settled < 3 { try await Task.sleep(for: .seconds(1)) }
        }
        guard settled >= 3 else { throw BenchFailure("the demo data's events did not drain from the outbox") }
        info("outbox drained")
    }

    /// Seconds per wrk run.
    var wrkSeconds: Int { tunable("LASTMILE_BENCH_DURATION", 20) }

    /// Prints a round of a comparison.
    func report(_ what: String) -> (Int, Pair) -> Void {
        { round, pair in
            self.info(
                "\(what), round \(round): ours \(Formatting.fixed(pair.platform, 2)), baseline \(Formatting.fixed(pair.baseline, 2)): "
                    + "\(Formatting.fixed(pair.ratio, 1))%")
        }
    }

    /// The first line of a section: when, where, which commit.
    var runLine: String {
        let date = DateFormatter()
        date.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        date.timeZone = TimeZone(identifier: "UTC")
        let cpu =
            ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) }
            ?? "unknown CPU"
        let commit = (try? run("git-commit", ["git", "rev-parse", "--short", "HEAD"], echo: false))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return
            "Run \(date.string(from: Date())) on \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu); commit \(commit ?? "none"); "
            + "release build; load average \(loadAverage)."
    }

    /// The load average now (1, 5 and 15 minutes).
    var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Prints the section and writes it into the document when one was given.
    func finish(section: String) throws {
        step("result")
        say(section)
        if let docs {
            try BenchmarksDocument.write(section: name, section, to: docs)
            info("wrote section '## \(name)' of \(docs)")
        } else {
            info("no --docs: the document is left as it is")
        }
        info("raw outputs: \(out.path)")
    }
}

/// A child process with stdout and stderr in files.
final class Child {
    let label: String
    let process = Process()
    let stdout: URL
    let stderr: URL

    init(_ arguments: [String], stdout: URL, environment: [String: String], stdin: URL? = nil) throws {
        label = arguments[0]
        self.stdout = stdout
        stderr = stdout.appendingPathExtension("err")
        for file in [stdout, stderr] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let launch = DefaultSignals.launch(arguments)
        process.executableURL = launch.executable
        process.arguments = launch.arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        do { try process.run() } catch { throw BenchFailure("cannot run \(arguments[0]): \(error)") }
    }

    /// SIGTERM, up to 10 s to exit, then SIGKILL.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Writes a line to standard output at once (`print` buffers it when standard output is a pipe or a file, and
/// scripts/bench should show each step as it happens).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// `url` with its password replaced by `***`.
func hidePassword(_ url: String) -> String {
    guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"),
        let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
    else { return url }
    return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
}

/// Seconds that `body` took.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return secondsIn(ContinuousClock.now - start)
}
