import Synchronization

/// Whether this process is shutting down: set at the first SIGTERM, before anything stops, so that the readiness
/// check answers 503 at once and load balancers stop sending new requests while those in flight finish.
public final class Draining: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Not draining yet.
    public init() {}

    /// Whether shutdown has begun.
    public var isDraining: Bool { flag.load(ordering: .acquiring) }

    /// Marks the start of shutdown.
    public func begin() { flag.store(true, ordering: .releasing) }

    /// A required readiness check that fails once shutdown has begun.
    public var healthCheck: HealthCheck {
        HealthCheck("draining") { [self] in if isDraining { throw ShuttingDown() } }
    }

    /// The readiness check's error while draining.
    struct ShuttingDown: Error, CustomStringConvertible {
        var description: String { "shutting down" }
    }
}
