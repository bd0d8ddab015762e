import ArgumentParser
import Foundation
import RESP

/// Drives GET or SET through our RESP client the way `redis-benchmark` does, and prints operations/s.
///
/// `--connections` connections each keep `--pipeline` commands in flight: one at a time through `send` when the
/// pipeline is 1, otherwise batches of ``RESPCommand`` through `RESPConnection.pipeline(_:)`, the client's fastest path
/// (typed commands encoded straight into the outgoing buffer). Each connection's loop runs with the connection's
/// ``RESPConnection/taskExecutor`` as its executor preference, on the event loop that reads its replies, as
/// `redis-benchmark` runs its connections on its event loop; `--executor global` runs it on the global pool instead.
/// Keys are `key:<0..<keyspace>` chosen at random, values `--data-size` bytes, as `redis-benchmark -r <keyspace>
/// -d <size>` uses them.
struct RedisLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "GET or SET through the RESP client for a while and print operations/s."
    )

    @Option(help: "Redis URL (redis://[:password@]host:port/db).")
    var url: String

    @Option(help: "The command to time: get or set.")
    var test: String = "set"

    @Option(help: "Connections, each with its own commands in flight.")
    var connections: Int = 50

    @Option(help: "Commands in flight per connection.")
    var pipeline: Int = 1

    @Option(help: "How long to run, in seconds.")
    var seconds: Double = 10

    @Option(help: "Number of distinct keys.")
    var keyspace: Int = 100_000

    @Option(help: "Value size in bytes for SET.")
    var dataSize: Int = 3

    @Option(help: "Where each connection's loop runs: event-loop (the connection's task executor) or global.")
    var executor: String = "event-loop"

    @Option(help: "How commands are built: typed (RESPCommand) or strings ([String] per command).")
    var commands: String = "typed"

    func validate() throws {
        guard ["get", "set"].contains(test) else { throw ValidationError("--test must be get or set") }
        guard ["event-loop", "global"].contains(executor) else { throw ValidationError("--executor must be event-loop or global") }
        guard ["typed", "strings"].contains(commands) else { throw ValidationError("--commands must be typed or strings") }
        guard connections > 0, pipeline > 0, seconds > 0, keyspace > 0, dataSize > 0 else {
            throw ValidationError("--connections, --pipeline, --seconds, --keyspace and --data-size must be positive")
        }
    }

    func run() async throws {
        var configuration = try RESPConfiguration(url: url)
        configuration.protocolVersion = .resp2
        configuration.commandTimeout = .seconds(30)
        var opened: [RESPConnection] = []
        for _ in 0..<connections { opened.append(try await RESPConnection.connect(configuration: configuration)) }
        let load = RedisLoadLoop(
            isSet: test == "set", value: String(repeating: "x", count: dataSize), keyspace: keyspace, pipeline: pipeline,
            typed: commands == "typed")
        let onEventLoop = executor == "event-loop"
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let (total, errors) = await withTaskGroup(of: (Int, Int).self) { group in
            for connection in opened {
                if onEventLoop {
                    group.addTask(executorPreference: connection.taskExecutor) { await load.run(on: connection, until: deadline) }
                } else {
                    group.addTask { await load.run(on: connection, until: deadline) }
                }
            }
            return await group.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
        }
        let elapsed = secondsIn(clock.now - start)
        for connection in opened { await connection.close() }
        note(
            "redis \(test): \(total) ops, \(errors) errors, \(connections) connections, pipeline \(pipeline), \(commands) commands on \(executor), \(String(format: "%.2f", elapsed)) s"
        )
        print(
            "ops_per_second=\(formatRate(Double(total) / elapsed)) ops=\(total) errors=\(errors) test=\(test) connections=\(connections) pipeline=\(pipeline) executor=\(executor) commands=\(commands)"
        )
    }
}

/// One connection's share of the load: batches of GET or SET on random keys until the deadline.
struct RedisLoadLoop: Sendable {
    let isSet: Bool
    let value: String
    let keyspace: Int
    let pipeline: Int
    /// Typed ``RESPCommand``s rather than a `[String]` per command.
    let typed: Bool

    /// Runs on the caller's executor; returns the operations done and the errors.
    nonisolated(nonsending) func run(on connection: RESPConnection, until deadline: ContinuousClock.Instant) async -> (Int, Int) {
        var generator = SplitMix64(seed: UInt64.random(in: 1...UInt64.max))
        var done = 0
        var errors = 0
        // Reused batch after batch: the client has let go of it by the time the replies are back.
        var batch: [RESPCommand] = []
        batch.reserveCapacity(pipeline)
        var strings: [[String]] = []
        while ContinuousClock.now < deadline {
            do {
                if typed {
                    batch.removeAll(keepingCapacity: true)
                    for _ in 0..<pipeline {
                        let key = "key:\(Int.random(in: 0..<keyspace, using: &generator))"
                        batch.append(isSet ? .set(key, to: value) : .get(key))
                    }
                    if pipeline == 1 {
                        _ = try await connection.send(batch[0])
                        done += 1
                        continue
                    }
                    for result in try await connection.pipeline(batch) {
                        if case .success = result { done += 1 } else { errors += 1 }
                    }
                } else {
                    strings = (0..<pipeline).map { _ in
                        let key = "key:\(Int.random(in: 0..<keyspace, using: &generator))"
                        return isSet ? ["SET", key, value] : ["GET", key]
                    }
                    if pipeline == 1 {
                        _ = try await connection.send(strings[0])
                        done += 1
                        continue
                    }
                    for result in try await connection.pipeline(strings) {
                        if case .success = result { done += 1 } else { errors += 1 }
                    }
                }
            } catch {
                errors += 1
            }
        }
        return (done, errors)
    }
}

/// A small, fast pseudo-random generator for choosing keys, as `redis-benchmark` uses `random()`: the system
/// generator makes a getrandom call per key, which would be timed as if it were the client's cost.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
