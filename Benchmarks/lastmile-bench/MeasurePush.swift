import ArgumentParser
import BenchKit
import Crypto
import Foundation
import Push

/// `measure push`: APNs pushes/s through our client over one HTTP/2 connection to the APNs stand-in, against h2load
/// with the same connection, streams, headers, bearer token and payload (≥ 70%).
struct MeasurePush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "APNs pushes/s through our APNs client vs h2load, one connection, same streams (≥ 70%).")

    @OptionGroup var options: MeasureOptions

    func run() async throws {
        let bench = try BenchRun("push", options: options)
        defer { bench.stopAll() }
        let seconds = bench.tunable("LASTMILE_BENCH_PUSH_SECONDS", 5)
        let port = bench.tunable("LASTMILE_BENCH_PUSH_PORT", 18443)
        let streamCounts = (ProcessInfo.processInfo.environment["LASTMILE_BENCH_PUSH_STREAMS"] ?? "100 1000").split(separator: " ").compactMap {
            Int($0)
        }
        let key = P256.Signing.PrivateKey()
        let keyFile = bench.out.appendingPathComponent("apns-key.p8").path
        let publicKeyFile = bench.out.appendingPathComponent("apns-key.pub.pem").path
        let caFile = bench.out.appendingPathComponent("standin-ca.pem").path
        let payloadFile = bench.out.appendingPathComponent("payload.json").path
        try key.pemRepresentation.write(toFile: keyFile, atomically: true, encoding: .utf8)
        try key.publicKey.pemRepresentation.write(toFile: publicKeyFile, atomically: true, encoding: .utf8)
        try Data(PushBench.notification.payload()).write(to: URL(fileURLWithPath: payloadFile))

        bench.step("APNs stand-in")
        let standin = try bench.start(
            "push-standin.txt",
            [
                bench.binaries + "/push-standin", "apns", "--port", "\(port)", "--public-key-file", publicKeyFile, "--team-id", PushBench.teamID,
                "--key-id", PushBench.keyID, "--topic", PushBench.topic, "--ca-out", caFile, "--token-updates", "unlimited", "--record", "no",
            ])
        try await bench.waitLine("push-standin: apns on", child: standin, seconds: 30)
        let url = "https://127.0.0.1:\(port)"
        // h2load's token, signed as our client signs its own; the stand-in verifies both.
        let signingKey = APNsSigningKey(privateKey: key, keyID: PushBench.keyID, teamID: PushBench.teamID)
        let token = signingKey.providerToken(issuedAt: Date())

        var rows: [String] = []
        let rule = bench.rule(target: 70)
        for streams in streamCounts {
            let measurement = "APNs pushes, 1 connection, \(streams) streams"
            bench.step(measurement)
            var problems: [String] = []
            let result = try await measurePairs(
                rule,
                platform: { round in
                    let text = try bench.run(
                        "ours-\(streams)-\(round).txt",
                        [
                            bench.bench, "push", "--url", url, "--ca-file", caFile, "--key-file", keyFile, "--streams", "\(streams)", "--seconds",
                            "\(seconds)",
                        ], echo: false)
                    let values = ToolOutput.values(text, with: "pushes_per_second")
                    if let errors = Int(values["errors"] ?? "0"), errors > 0 { problems.append("ours: \(errors) errors") }
                    if values["connections"] != "1" { problems.append("ours: \(values["connections"] ?? "?") connections") }
                    return Double(values["pushes_per_second"] ?? "") ?? 0
                },
                baseline: { round in
                    let text = try bench.run(
                        "h2load-\(streams)-\(round).txt",
                        [
                            "h2load", "-c", "1", "-t", "1", "-m", "\(streams)", "-D", "\(seconds)", "--warm-up-time=1", "-d", payloadFile,
                            "-H", "Authorization: Bearer \(token)", "-H", "apns-topic: \(PushBench.topic)", "-H", "apns-push-type: alert",
                            "-H", "apns-priority: 10", "-H", "apns-expiration: 0", "-H", "content-type: application/json",
                            "\(url)/3/device/\(PushBench.deviceToken)",
                        ], echo: false)
                    let h2load = try H2LoadOutput(text)
                    if h2load.failed > 0 { problems.append("h2load: \(h2load.failed) not 2xx") }
                    return h2load.requestsPerSecond
                }, report: bench.report("\(streams) streams"))
            rows.append(
                Formatting.row(
                    measurement, "\(Formatting.summary(result.platform)) pushes/s", "\(Formatting.summary(result.baseline)) req/s",
                    Formatting.ratio(result), "≥ 70%",
                    Formatting.verdict(rule.verdict(result), problem: problems.isEmpty ? nil : Set(problems).sorted().joined(separator: ", "))))
        }
        let section = """
            ## push

            \(bench.runLine)
            APNs pushes through our `APNsClient` (`lastmile-bench push`) against `h2load -c 1 -t 1 -m STREAMS` (nghttp2), both
            on one HTTP/2 connection over TLS to the release `push-standin apns` on 127.0.0.1 with the same number of streams in
            flight, the same headers (`authorization: bearer` with a valid ES256 provider token, `apns-topic`,
            `apns-push-type`, `apns-priority`, `apns-expiration`), the same \(PushBench.notification.payload().count)-byte payload
            and device token, \(seconds) s measured after a 1 s warm-up. The stand-in checks every request as APNs would (the
            token's signature once and its age on each request, topic, push type, device token, payload size) and announces a
            1 MiB connection window, as production HTTP/2 servers do; client and stand-in share the machine's two cores. Ours builds the payload and headers of every push, and its sending loops run
            on the event loop of the client's connection (as h2load runs on one thread).
            \(bench.method)

            | measurement | ours | h2load | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))
            """
        try bench.finish(section: section)
    }
}

/// What `h2load` printed: the rate and how many requests did not end in a 2xx.
struct H2LoadOutput {
    var requestsPerSecond: Double
    var failed: Int

    init(_ text: String) throws {
        guard let finished = text.split(separator: "\n").first(where: { $0.hasPrefix("finished in") }),
            let rate = finished.split(separator: ",").dropFirst().first?.trimmingCharacters(in: .whitespaces).split(separator: " ").first,
            let requestsPerSecond = Double(rate)
        else { throw BenchFailure("no 'finished in …, N req/s' line in h2load's output") }
        self.requestsPerSecond = requestsPerSecond
        let number = { (line: Substring, label: String) -> Int in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," })
            guard let index = words.firstIndex(where: { $0 == label }), index > words.startIndex else { return 0 }
            return Int(words[words.index(before: index)]) ?? 0
        }
        let requests = text.split(separator: "\n").first { $0.hasPrefix("requests:") } ?? ""
        let statuses = text.split(separator: "\n").first { $0.hasPrefix("status codes:") } ?? ""
        failed =
            number(requests, "failed") + number(requests, "errored") + number(requests, "timeout") + number(statuses, "3xx")
            + number(statuses, "4xx") + number(statuses, "5xx")
    }
}
