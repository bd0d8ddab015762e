import ClientSupport
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A pool of pipelined connections to one Redis server, kept open (and reopened with backoff) by its `run()` as a `Service`.
///
/// Commands go round-robin to the live connections. While no connection is up, commands fail at once with
/// ``RESPError/Code/connectionLost`` rather than queueing, so callers can fail closed or open as they choose.
public final class RESPClient: RESPCommandExecutor, Service {
    /// Where and how each connection connects.
    public let configuration: RESPConfiguration
    /// How many connections the pool keeps.
    public let connectionCount: Int
    private let backoff: Backoff
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let slots: Mutex<(connections: [RESPConnection?], next: Int)>

    /// Creates a client; it connects once `run()` starts.
    public init(
        configuration: RESPConfiguration, connectionCount: Int = 4, backoff: Backoff = Backoff(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "resp.client")
    ) {
        precondition(connectionCount > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.connectionCount = connectionCount
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.slots = Mutex((connections: Array(repeating: nil, count: connectionCount), next: 0))
    }

    /// Keeps every connection open until graceful shutdown or cancellation, then closes them after their pending replies.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<self.connectionCount {
                    group.addTask { await self.maintain(slot: slot) }
                }
            }
        }
    }

    /// How many connections are open right now.
    public var liveConnectionCount: Int {
        slots.withLock { $0.connections.count { $0?.isActive == true } }
    }

    /// Sends a command on the next live connection.
    public func send(_ command: [String]) async throws -> RESPValue {
        guard let connection = nextLiveConnection() else {
            throw RESPError(code: .connectionLost, message: "no connection to \(configuration.host):\(configuration.port) is available")
        }
        return try await connection.send(command)
    }

    func nextLiveConnection() -> RESPConnection? {
        slots.withLock { slots in
            for _ in 0..<slots.connections.count {
                let index = slots.next
                slots.next = (slots.next + 1) % slots.connections.count
                if let connection = slots.connections[index], connection.isActive { return connection }
            }
            return nil
        }
    }

    private func maintain(slot: Int) async {
        await Reconnector(backoff: backoff).run(
            connect: { try await RESPConnection.connect(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger) },
            serve: { connection in
                slots.withLock { $0.connections[slot] = connection }
                await connection.waitUntilClosed()
                slots.withLock { $0.connections[slot] = nil }
                if !Task.isCancelled { logger.warning("Redis connection lost; reconnecting", metadata: ["slot": "\(slot)"]) }
            },
            startClose: { $0.startClose() },
            failed: { error, delay in
                logger.warning("cannot connect to Redis", metadata: ["slot": "\(slot)", "error": "\(error)", "retryIn": "\(delay)"])
            })
    }
}
