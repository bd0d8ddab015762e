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
    /// Every open connection with the messages given to it and not yet answered, and since when it has had none.
    private var connections: [(connection: SMTPConnection, inFlight: Int, idleSince: ContinuousClock.Instant)] = []
    /// Messages one connection carries at once: queued behind each other, each one's commands sent behind the
    /// previous message (when the server pipelines).
    private let perConnection: Int
    private var open = 0
    private var waiters: [CheckedContinuation<Lease, Never>] = []
    private var isShutDown = false

    init(
        configuration: SMTPConfiguration, maximum: Int, perConnection: Int = 2, idleTimeout: Duration, backoff: Backoff, connectAttempts: Int,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.configuration = configuration
        self.maximum = maximum
        self.perConnection = max(1, perConnection)
        self.idleTimeout = idleTimeout
        self.backoff = backoff
        self.connectAttempts = connectAttempts
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    var openCount: Int { open }

    /// A connection for one message: an idle one first, a new one while fewer than `maximum` are open, else the least
    /// busy one with room, else the next to come free.
    func lease() async throws(SMTPError) -> (connection: SMTPConnection, reused: Bool) {
        connections.removeAll { entry in
            guard !entry.connection.isActive, entry.inFlight == 0 else { return false }
            open -= 1
            return true
        }
        guard !isShutDown else { throw SMTPError(code: .connectionClosed, message: "the SMTP client has shut down") }
        if let index = connections.indices.first(where: { connections[$0].inFlight == 0 && connections[$0].connection.isActive }) {
            connections[index].inFlight += 1
            return (connections[index].connection, true)
        }
        if open < maximum {
            open += 1
            return (try await connect(), false)
        }
        if let index = connections.indices.filter({ connections[$0].inFlight < perConnection && connections[$0].connection.isActive })
            .min(by: { connections[$0].inFlight < connections[$1].inFlight })
        {
            connections[index].inFlight += 1
            return (connections[index].connection, true)
        }
        switch await withCheckedContinuation({ waiters.append($0) }) {
        case .connection(let connection): return (connection, true)
        case .connect: return (try await connect(), false)
        case .shutDown: throw SMTPError(code: .connectionClosed, message: "the SMTP client has shut down")
        }
    }

    /// Gives back a connection's place for one message.
    func release(_ connection: SMTPConnection) async {
        guard let index = connections.firstIndex(where: { $0.connection === connection }) else { return }
        guard connection.isActive, !isShutDown else {
            connections[index].inFlight -= 1
            if connections[index].inFlight == 0 {
                connections.remove(at: index)
                open -= 1
                handOverPlace()
                if connection.isActive { await connection.close() }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: .connection(connection))
            return
        }
        connections[index].inFlight -= 1
        if connections[index].inFlight == 0 { connections[index].idleSince = .now }
    }

    /// Closes the connections idle for `idleTimeout`, and forgets broken ones.
    func closeIdle() async {
        let now = ContinuousClock.now
        let expired = connections.filter { $0.inFlight == 0 && (now - $0.idleSince >= idleTimeout || !$0.connection.isActive) }
        connections.removeAll { $0.inFlight == 0 && (now - $0.idleSince >= idleTimeout || !$0.connection.isActive) }
        open -= expired.count
        for entry in expired { await entry.connection.close() }
    }

    func shutDown() async {
        isShutDown = true
        for waiter in waiters { waiter.resume(returning: .shutDown) }
        waiters = []
        let idle = connections.filter { $0.inFlight == 0 }.map(\.connection)
        connections.removeAll { $0.inFlight == 0 }
        open -= idle.count
        for connection in idle { await connection.close() }
    }

    /// Opens a connection in a place already counted, trying again after a backoff pause when connecting fails
    /// (`connectAttempts` tries in all); a refusal by the server (a 5xx greeting, failed authentication, no
    /// STARTTLS) is not retried.
    private func connect() async throws(SMTPError) -> SMTPConnection {
        var failures = 0
        while true {
            do {
                let connection = try await SMTPConnection.connect(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
                connections.append((connection, 1, .now))
                return connection
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
