import ArgumentParser
import ClientSupport
import ClientTLS
import Foundation
import NIOCore
import NIOPosix
import Push
import Synchronization

/// The notification both sides of `measure push` send: our client builds it on every push, h2load sends its bytes.
enum PushBench {
    static let teamID = "BENCHTEAM1"
    static let keyID = "BENCHKEY01"
    static let topic = "ru.lastmile.app"
    static let deviceToken = String(repeating: "0123456789abcdef", count: 4)
    static let notification = APNsNotification(
        alert: .init(title: "Платёж получен", body: "Счёт за декабрь оплачен: 650 ₽"), badge: 1, sound: "default", threadID: "billing",
        custom: ["invoice": "INV-2026-12-000042"], priority: .immediate)
}

/// Sends pushes through ``APNsClient`` over its one HTTP/2 connection with `--streams` in flight, as
/// `h2load -c 1 -m STREAMS` does, and prints pushes/s measured after a warm-up.
///
/// The client, its connection and the `--streams` sending loops share one event loop: each loop runs with that event
/// loop's task executor as its executor preference, as h2load runs on one thread.
struct PushLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send APNs pushes through the APNs client to a stand-in for a while and print pushes/s.")

    @Option(help: "The APNs stand-in's base URL.")
    var url: String

    @Option(help: "PEM file of the CA the stand-in's certificate chains to.")
    var caFile: String

    @Option(help: "The .p8 signing key (PEM).")
    var keyFile: String

    @Option(help: "Pushes in flight on the one connection.")
    var streams: Int = 100

    @Option(help: "Seconds measured, after the warm-up.")
    var seconds: Double = 5

    @Option(help: "Seconds of warm-up, not counted.")
    var warmup: Double = 1

    func validate() throws {
        guard streams > 0, seconds > 0, warmup >= 0 else { throw ValidationError("--streams and --seconds must be positive") }
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoop: group.next())
        let key = try APNsSigningKey(pem: try String(contentsOfFile: keyFile, encoding: .utf8), keyID: PushBench.keyID, teamID: PushBench.teamID)
        let configuration = try APNsConfiguration(
            url: url, key: key, topic: PushBench.topic, tls: try ClientTLSConfiguration(caFile: caFile, serverName: "localhost"),
            requestTimeout: .seconds(30))
        let client = try APNsClient(configuration: configuration, eventLoopGroup: group)
        guard case .delivered = try await client.send(PushBench.notification, to: PushBench.deviceToken) else {
            throw BenchFailure("the stand-in did not accept the first push")
        }
        let counters = PushCounters()
        let clock = ContinuousClock()
        let (rate, measuredErrors) = try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<streams {
                tasks.addTask(executorPreference: executor) {
                    while !counters.stop.load(ordering: .relaxed) {
                        do {
                            if case .delivered = try await client.send(PushBench.notification, to: PushBench.deviceToken) {
                                counters.delivered.add(1, ordering: .relaxed)
                            } else {
                                counters.errors.add(1, ordering: .relaxed)
                            }
                        } catch {
                            counters.errors.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int64(warmup * 1000)))
            let (startCount, startErrors, start) = (counters.delivered.load(ordering: .relaxed), counters.errors.load(ordering: .relaxed), clock.now)
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            let (endCount, endErrors, end) = (counters.delivered.load(ordering: .relaxed), counters.errors.load(ordering: .relaxed), clock.now)
            counters.stop.store(true, ordering: .relaxed)
            try await tasks.waitForAll()
            return (Double(endCount - startCount) / secondsIn(end - start), endErrors - startErrors)
        }
        await client.shutdown()
        try await group.shutdownGracefully()
        note("push: \(formatRate(rate)) pushes/s, \(measuredErrors) errors, \(client.connectionsOpened) connection(s)")
        print("pushes_per_second=\(formatRate(rate)) errors=\(measuredErrors) connections=\(client.connectionsOpened)")
    }
}

/// What the sending loops count, and their stop signal.
final class PushCounters: Sendable {
    let delivered = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
}
