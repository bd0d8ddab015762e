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
    /// Applies several events at once (say, with one multi-row statement), when the consumer can; nil otherwise.
    public let handleBatch: (@Sendable ([EventEnvelope], any SQLExecutor) async throws -> Void)?

    /// Creates a consumer that applies one event at a time.
    public init(name: String, types: Set<String>, handle: @escaping @Sendable (EventEnvelope, any SQLExecutor) async throws -> Void) {
        self.name = name
        self.types = types
        self.handle = handle
        self.handleBatch = nil
    }

    private init(
        name: String, types: Set<String>, handle: @escaping @Sendable (EventEnvelope, any SQLExecutor) async throws -> Void,
        handleBatch: (@Sendable ([EventEnvelope], any SQLExecutor) async throws -> Void)?
    ) {
        self.name = name
        self.types = types
        self.handle = handle
        self.handleBatch = handleBatch
    }

    /// A consumer that applies the new events of a batch in one call (say, one multi-row statement), in delivery
    /// order, in the batch's transaction. If it throws, the batch is handled again one event at a time, so that a poison
    /// event is isolated.
    public static func batched(
        name: String, types: Set<String>, handleBatch: @escaping @Sendable ([EventEnvelope], any SQLExecutor) async throws -> Void
    ) -> EventConsumer {
        EventConsumer(
            name: name, types: types, handle: { event, transaction in try await handleBatch([event], transaction) }, handleBatch: handleBatch)
    }
}

/// Runs consumers through the inbox so each event takes effect at most once per consumer.
public struct InboxProcessor: Sendable {
    private let database: any Database
    let clock: any WallClock

    /// Creates the processor.
    public init(database: any Database, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Handles `event` with `consumer` unless its inbox holds it already; returns whether the handler ran.
    ///
    /// The handler runs in the context of the request that caused the event (`TraceContext.current`), so that its
    /// log lines, and any call or event it makes, carry that request's id and trace.
    @discardableResult
    public func process(_ event: EventEnvelope, with consumer: EventConsumer) async throws -> Bool {
        let now = clock.now()
        return try await TraceContext.$current.withValue(event.trace) {
            try await database.transaction { transaction in
                guard try await Inbox.claim(consumer: consumer.name, eventID: event.id, at: now, in: transaction) else { return false }
                try await consumer.handle(event, transaction)
                return true
            }
        }
    }

    /// Handles several events with `consumer` in one transaction: their inbox rows are claimed with one statement,
    /// then the handler runs, in order, for each event the inbox did not hold (a repeated id runs once). Returns
    /// for each event whether its handler ran. If a handler throws, everything rolls back and
    /// ``BatchHandlerFailure`` says which event it was. Each handler runs in its event's request context, as in
    /// ``process(_:with:)``; a batch handler does when the whole batch came from one request.
    public func process(batch events: [EventEnvelope], with consumer: EventConsumer) async throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        let now = clock.now()
        var unique: [String] = []
        var seen = Set<String>()
        for event in events where seen.insert(event.id).inserted { unique.append(event.id) }
        let ids = unique
        return try await database.transaction { transaction in
            var claimed = Set<String>()
            for start in stride(from: 0, to: ids.count, by: 1000) {
                let chunk = ids[start..<min(start + 1000, ids.count)]
                let rows = (0..<chunk.count).map { "($1, $\($0 + 3), $2)" }.joined(separator: ", ")
                let result = try await transaction.query(
                    "INSERT INTO inbox_events (consumer, event_id, handled_at) VALUES \(rows) ON CONFLICT DO NOTHING RETURNING event_id",
                    [.text(consumer.name), now.sqlValue] + chunk.map { .text($0) })
                for row in result { claimed.insert(try row.string("event_id")) }
            }
            var ran: [Bool] = []
            ran.reserveCapacity(events.count)
            if let handleBatch = consumer.handleBatch {
                var fresh: [EventEnvelope] = []
                for event in events {
                    let isNew = claimed.remove(event.id) != nil
                    ran.append(isNew)
                    if isNew { fresh.append(event) }
                }
                // A throw here names no event: the caller handles the batch again one by one.
                // Events of one request differ in their parent ids only (each is a hop of its own).
                let trace = fresh.first?.trace
                let shared = fresh.allSatisfy { $0.trace.map(Self.request) == trace.map(Self.request) } ? trace : nil
                do {
                    if !fresh.isEmpty { try await TraceContext.$current.withValue(shared) { try await handleBatch(fresh, transaction) } }
                } catch {
                    throw BatchHandlerFailure(index: nil, underlying: error)
                }
                return ran
            }
            for (index, event) in events.enumerated() {
                guard claimed.remove(event.id) != nil else {
                    ran.append(false)
                    continue
                }
                do {
                    try await TraceContext.$current.withValue(event.trace) { try await consumer.handle(event, transaction) }
                } catch {
                    throw BatchHandlerFailure(index: index, underlying: error)
                }
                ran.append(true)
            }
            return ran
        }
    }
}

extension InboxProcessor {
    /// What names the request a context belongs to: its id and its trace.
    fileprivate static func request(_ context: TraceContext) -> [String] { [context.requestID, context.traceparent.traceID] }
}

/// The handler failed on the event at `index` of a batch (nil when a batch handler failed on the batch as a whole);
/// the whole batch rolled back. Any other error from ``InboxProcessor/process(batch:with:)`` came from the database.
public struct BatchHandlerFailure: Error, Sendable, CustomStringConvertible {
    /// The failing event's position in the batch, if known.
    public var index: Int?
    /// What the handler threw.
    public var underlying: any Error

    /// A one-line summary.
    public var description: String { "handler failed on event \(index.map(String.init) ?? "?") of the batch: \(underlying)" }
}
