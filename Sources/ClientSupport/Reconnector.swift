/// The loop that keeps a protocol client's connection up: connect, serve while it is open, and after a failure wait
/// per ``Backoff`` before the next attempt; the pause starts over from `initial` once a connection succeeds.
///
/// RESP, AMQP (and the SMTP client to come) each run one per connection they keep; what a connection means to the
/// client (a pool slot, a declared topology) stays in the closures.
public struct Reconnector: Sendable {
    /// How attempts are spaced.
    public var backoff: Backoff
    /// Sleeps for a jittered delay; tests replace it to record the schedule without waiting.
    var sleep: @Sendable (Duration) async -> Void
    /// Draws the jitter fraction; tests fix it.
    var jitter: @Sendable () -> Double

    /// Creates a loop with `backoff`, jittered at random and sleeping for real.
    public init(backoff: Backoff) {
        self.init(backoff: backoff, sleep: { try? await Task.sleep(for: $0) }, jitter: { Double.random(in: 0.5...1.0) })
    }

    init(backoff: Backoff, sleep: @escaping @Sendable (Duration) async -> Void, jitter: @escaping @Sendable () -> Double) {
        self.backoff = backoff
        self.sleep = sleep
        self.jitter = jitter
    }

    /// Runs until the task is cancelled.
    ///
    /// - Parameters:
    ///   - connect: Opens a connection ready for use (setup that fails should close it and throw).
    ///   - serve: Given each open connection; returns once it has closed.
    ///   - startClose: Called when the task is cancelled while `serve` runs, to start a graceful close.
    ///   - failed: Told each failed attempt and the delay before the next one (before jitter), for the log.
    public func run<Connection: Sendable>(
        connect: () async throws -> Connection,
        serve: (Connection) async -> Void,
        startClose: @escaping @Sendable (Connection) -> Void,
        failed: (any Error, Duration) -> Void
    ) async {
        var failures = 0
        while !Task.isCancelled {
            let connection: Connection
            do {
                connection = try await connect()
            } catch {
                failures += 1
                let delay = backoff.delay(afterFailures: failures)
                failed(error, delay)
                await sleep(Backoff.jittered(delay, by: jitter()))
                continue
            }
            failures = 0
            await withTaskCancellationHandler {
                await serve(connection)
            } onCancel: {
                startClose(connection)
            }
        }
    }
}
