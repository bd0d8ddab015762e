import ClientSupport
import Logging
import NIOCore

/// The connections an ``SMTPClient`` keeps to its server: at most `maximum`, opened when messages need them, reused
/// for message after message, and closed once idle for `idleTimeout`.
actor SMTPConnectionPool {
    private enum Lease {
        case connection(SMTPConnection)
        case connect
        case shutDown
    }

    private let configuration: SMTPConfiguration
    private let maximum: Int
    private let idleTimeout: Duration
    private let backoff: Backoff
    private let connectAttempts: Int
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var idle: [(connection: SMTPConnection, since: ContinuousClock.Instant)] = []
    /// Connections open, leased or being opened.
    private var open = 0
    private var waiters: [CheckedContinuation<Lease, Never>] = []
    private var isShutDown = false

    init(
        configuration: SMTPConfiguration, maximum: Int, idleTimeout: Duration, backoff: Backoff, connectAttempts: Int,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.configuration = configuration
        self.maximum = maximum
        self.idleTimeout = idleTimeout
        self.backoff = backoff
        self.connectAttempts = connectAttempts
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// How many connections are open, leased or being opened.
    var openCount: Int { open }

    /// An idle connection, a new one when fewer than `maximum` are open, or the next one given back; `reused` tells
    /// whether the connection has carried messages before (and so may have been closed by the server meanwhile).
    func lease() async throws(SMTPError) -> (connection: SMTPConnection, reused: Bool) {
        while let entry = idle.popLast() {
            if entry.connection.isActive { return (entry.connection, true) }
            open -= 1
        }
        guard !isShutDown else { throw SMTPError(code: .connectionClosed, message: "the SMTP client has shut down") }
        if open < maximum {
            open += 1
            return (try await connect(), false)
        }
        switch await withCheckedContinuation({ waiters.append($0) }) {
        case .connection(let connection): return (connection, true)
        case .connect: return (try await connect(), false)
        case .shutDown: throw SMTPError(code: .connectionClosed, message: "the SMTP client has shut down")
        }
    }

    /// Takes a connection back after a message: it goes to the next waiter, or waits idle; a closed one frees its place.
    func release(_ connection: SMTPConnection) async {
        guard connection.isActive, !isShutDown else {
            open -= 1
            handOverPlace()
            if connection.isActive { await connection.close() }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: .connection(connection))
        } else {
            idle.append((connection, .now))
        }
    }

    /// Closes the connections idle for longer than `idleTimeout` (with `QUIT`).
    func closeIdle() async {
        let now = ContinuousClock.now
        let expired = idle.filter { now - $0.since >= idleTimeout || !$0.connection.isActive }
        idle.removeAll { now - $0.since >= idleTimeout || !$0.connection.isActive }
        open -= expired.count
        for entry in expired { await entry.connection.close() }
    }

    /// Refuses new leases, wakes the waiters with an error, and closes the idle connections; leased ones close when
    /// given back.
    func shutDown() async {
        isShutDown = true
        for waiter in waiters { waiter.resume(returning: .shutDown) }
        waiters = []
        let connections = idle.map(\.connection)
        idle = []
        open -= connections.count
        for connection in connections { await connection.close() }
    }

    /// Opens a connection in a place already counted, trying again after a backoff pause when connecting fails
    /// (`connectAttempts` tries in all); a refusal by the server (a 5xx greeting, failed authentication, no
    /// STARTTLS) is not retried.
    private func connect() async throws(SMTPError) -> SMTPConnection {
        var failures = 0
        while true {
            do {
                return try await SMTPConnection.connect(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
            } catch {
                failures += 1
                guard failures < connectAttempts, error.isTransient, !isShutDown, !Task.isCancelled else {
                    open -= 1
                    handOverPlace()
                    throw error
                }
                let delay = backoff.delay(afterFailures: failures)
                logger.warning(
                    "cannot connect to the SMTP server", metadata: ["host": "\(configuration.host)", "error": "\(error)", "retryIn": "\(delay)"])
                try? await Task.sleep(for: Backoff.jittered(delay, by: Double.random(in: 0.5...1.0)))
            }
        }
    }

    /// A place came free: the next waiter may open a connection in it.
    private func handOverPlace() {
        guard !waiters.isEmpty, open < maximum else { return }
        open += 1
        waiters.removeFirst().resume(returning: .connect)
    }
}
