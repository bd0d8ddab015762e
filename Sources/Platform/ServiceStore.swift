import Messaging
import ServiceKit
import ServiceLifecycle
import Storage

/// One database and the local services whose tables it holds, with the outbox relay and inbox they share.
///
/// The all-in-one process has one; a process whose services have databases of their own
/// (`LASTMILE_<SERVICE>_DATABASE_URL`) has one per database.
public struct ServiceStore: Sendable {
    /// The database.
    public let database: any Database
    /// The local services whose tables it holds.
    public let services: [any PlatformService]
    /// Relays the events its outbox holds.
    public let relay: OutboxRelay
    /// Takes the events its services consume, at most once each.
    public let inbox: InboxProcessor
    /// Consumes from RabbitMQ into ``inbox`` (nil when events travel in process).
    let consumerRunner: AMQPEventConsumerRunner?
    /// Samples its outbox for the event metrics.
    let sampler: EventMetricsSampler

    /// Storage's tables, then each service's.
    public var migrations: [MigrationSet] { [StorageMigrations.set] + services.flatMap(\.migrations) }

    /// Every consumer of its services.
    public var consumers: [EventConsumer] { services.flatMap(\.consumers) }

    /// Its long-running work: the relay, the consumer runner, the sampler.
    var backgroundWork: [any Service] {
        var work: [any Service] = [relay]
        if let consumerRunner { work.append(consumerRunner) }
        work.append(sampler)
        return work
    }
}
