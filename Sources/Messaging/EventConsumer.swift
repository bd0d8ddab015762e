import Foundation
import Kernel
import Storage

/// A named consumer of some event types; its handler runs in the same transaction as its inbox row.
public struct EventConsumer: Sendable {
    /// The consumer's name: the inbox key and, on RabbitMQ, its queue.
    public let name: String
    /// The event types it wants.
    public let types: Set<String>
    /// Applies one event, using `transaction` for every change it makes.
    public let handle: @Sendable (EventEnvelope, any SQLExecutor) async throws -> Void

    /// Creates a consumer.
    public init(name: String, types: Set<String>, handle: @escaping @Sendable (EventEnvelope, any SQLExecutor) async throws -> Void) {
        self.name = name
        self.types = types
        self.handle = handle
    }
}

/// Runs consumers through the inbox so each event takes effect at most once per consumer.
public struct InboxProcessor: Sendable {
    private let database: any Database
    private let clock: any WallClock

    /// Creates the processor.
    public init(database: any Database, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Handles `event` with `consumer` unless its inbox holds it already; returns whether the handler ran.
    @discardableResult
    public func process(_ event: EventEnvelope, with consumer: EventConsumer) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { transaction in
            guard try await Inbox.claim(consumer: consumer.name, eventID: event.id, at: now, in: transaction) else { return false }
            try await consumer.handle(event, transaction)
            return true
        }
    }
}
