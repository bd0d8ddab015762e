import Messaging
import ServerKit
import ServiceLifecycle
import Storage

/// The shape every LastMile service has, so that the platform runs a list of them and `lastmile serve --service X`
/// picks from it without knowing any one of them.
///
/// A service owns its tables (``migrations``, applied to its database after Storage's outbox, inbox and idempotency
/// tables), consumes events (``consumers``, each through its database's inbox), does work of its own in the
/// background (``backgroundWork(schedules:)``), and answers its `Contracts` protocol over its internal API
/// (``registerInternalRoutes(on:)``) when other processes call it. Its errors conform to `ProblemConvertible` (and
/// `RemoteError`, to travel between processes as themselves).
public protocol PlatformService: Sendable {
    /// The service's name: `--service`, `LASTMILE_<NAME>_URL`, the audience of its service tokens.
    var name: String { get }
    /// The migrations of the tables it owns: its own set, and the sets of library tables it keeps beside them
    /// (support's attachments in the `blobs` table).
    var migrations: [MigrationSet] { get }
    /// Its event consumers.
    var consumers: [EventConsumer] { get }
    /// Readies it after migrations and before it serves (say, loading signing keys).
    func start() async throws
    /// Its long-running work: jobs, relays, and (with `schedules`) the schedulers that decide when work is due.
    func backgroundWork(schedules: Bool) -> [any Service]
    /// Registers its internal API.
    func registerInternalRoutes(on router: SecureRouter)
}

extension PlatformService {
    /// No event consumers.
    public var consumers: [EventConsumer] { [] }
    /// Nothing to ready.
    public func start() async throws {}
    /// No background work.
    public func backgroundWork(schedules: Bool) -> [any Service] { [] }
}
