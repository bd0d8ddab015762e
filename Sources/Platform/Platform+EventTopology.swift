import AMQP
import Kernel
import Logging
import Messaging
import ServiceKit
import Storage

extension Platform {
    /// Declares on RabbitMQ the queue and bindings of every event consumer of the services that have a database in
    /// `databases`, and returns their names; nothing without `LASTMILE_AMQP_URL`. Throws when the broker does not answer
    /// within `timeout`.
    ///
    /// `lastmile migrate` calls it before any service starts: the broker drops an event published to the topic exchange
    /// while no queue is bound for it, so without this the first events of one process (billing's monthly run when
    /// billing starts) would be lost to the consumers of a process that starts later (customers' timeline). Each
    /// process declares its own consumers' queues again when it starts.
    public static func declareEventTopology(
        settings: PlatformSettings, databases: [ServiceRole: any Database], timeout: Duration = .seconds(60), logger: Logger
    ) async throws -> [String] {
        guard let url = settings.amqpURL, let database = databases.values.first else { return [] }
        let configuration = try SettingsError.naming("LASTMILE_AMQP_URL", tlsCAFile: settings.amqpTLSCAFile, "LASTMILE_AMQP_TLS_CA_FILE") {
            try AMQPConfiguration(url: url, tlsCAFile: settings.amqpTLSCAFile)
        }
        let platform = Platform(settings: settings, databases: databases, redis: nil, rabbit: nil, serviceKeys: nil, http: nil, logger: logger)
        let consumers = platform.services.flatMap(\.consumers)
        let client = AMQPClient(configuration: configuration, logger: logger)
        let runner = AMQPEventConsumerRunner(
            client: client, consumers: consumers, processor: InboxProcessor(database: database, clock: SystemClock()),
            settings: settings.eventConsumers, logger: logger)
        // Declared once connected; given up (BrokerDisconnected) when the broker does not answer within `timeout`.
        let declared = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await client.run()
                return false
            }
            group.addTask {
                guard try await client.waitForConnection() != nil else { return false }
                try await runner.declareTopology()
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        guard declared else { throw BrokerDisconnected() }
        return consumers.map(\.name)
    }
}
