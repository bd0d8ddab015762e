import Foundation
import Kernel

/// The transactional outbox: events are written in the same transaction as the change they report.
public enum Outbox {
    /// Appends a typed event to the outbox within `transaction`; returns its envelope.
    @discardableResult
    public static func append<Event: DomainEvent>(_ event: Event, at time: Date, in transaction: any SQLExecutor) async throws -> EventEnvelope {
        let envelope = try EventEnvelope(event, at: time)
        try await append(envelope, in: transaction)
        return envelope
    }

    /// Appends typed events in order within `transaction`: on PostgreSQL one statement for all of them.
    public static func append<Event: DomainEvent>(contentsOf events: [Event], at time: Date, in transaction: any SQLExecutor) async throws {
        let envelopes = try events.map { try EventEnvelope($0, at: time) }
        guard transaction.dialect == .postgres, envelopes.count > 1 else {
            for envelope in envelopes { try await append(envelope, in: transaction) }
            return
        }
        // `WITH ORDINALITY` keeps the batch's order in the outbox's sequence.
        try await transaction.query(
            """
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at, request_id, traceparent)
            SELECT e.id, e.type, e.version, e.occurred_at, e.payload, 0, e.request_id, e.traceparent
            FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[])
                WITH ORDINALITY AS e(id, type, version, occurred_at, payload, request_id, traceparent, n)
            ORDER BY e.n
            """,
            [
                PostgresArrayLiteral.text(envelopes.map(\.id)), PostgresArrayLiteral.text(envelopes.map(\.type)),
                PostgresArrayLiteral.bigint(envelopes.map { Int64($0.version) }),
                PostgresArrayLiteral.bigint(envelopes.map { $0.occurredAt.microsecondsSince1970 }),
                PostgresArrayLiteral.text(envelopes.map(\.payload)), nullableText(envelopes.map { $0.trace?.requestID }),
                nullableText(envelopes.map { $0.trace?.traceparent.header }),
            ])
    }

    private static func nullableText(_ values: [String?]) -> SQLValue {
        var array = PostgresArrayLiteral()
        for value in values { array.append(value) }
        return .text(array.literal)
    }

    /// Appends an envelope within `transaction`.
    public static func append(_ envelope: EventEnvelope, in transaction: any SQLExecutor) async throws {
        try await transaction.query(
            """
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at, request_id, traceparent)
            VALUES ($1, $2, $3, $4, $5, 0, $6, $7)
            """,
            envelope.id, envelope.type, envelope.version, envelope.occurredAt, envelope.payload, envelope.trace?.requestID,
            envelope.trace?.traceparent.header)
    }
}

/// An outbox event claimed by a relay, with its delivery attempt number.
public struct OutboxItem: Sendable, Hashable {
    /// Position in the outbox; delivery follows it.
    public var sequence: Int64
    /// The event.
    public var envelope: EventEnvelope
    /// 1 on the first delivery attempt.
    public var attempt: Int
}

/// The relay's view of the outbox table: claim, mark published, mark failed.
public struct OutboxStore: Sendable {
    private let database: any Database

    /// Creates the store.
    public init(database: any Database) { self.database = database }

    /// Claims up to `limit` due events for `lease` seconds, oldest first; other relays skip them until the lease ends.
    public func claim(limit: Int, owner: String, lease: TimeInterval, now: Date) async throws -> [OutboxItem] {
        try await claim(limit: limit, owner: owner, lease: lease, now: now, after: nil)
    }

    /// Claims as ``claim(limit:owner:lease:now:)`` does, only events after position `after` when it is set: a relay
    /// working through a backlog resumes where its last claim ended instead of scanning again past every event it
    /// has just handled (whose index entries stay until vacuum). Claim without it now and then (say, once a claim
    /// comes back short) so that events due again behind the cursor are not left behind.
    public func claim(limit: Int, owner: String, lease: TimeInterval, now: Date, after: Int64?) async throws -> [OutboxItem] {
        let lock = database.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.query(
            """
            UPDATE outbox_events SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
            WHERE seq IN (
                SELECT seq FROM outbox_events
                WHERE published_at IS NULL AND dead_at IS NULL AND available_at <= $3
                  AND (claimed_until IS NULL OR claimed_until < $3) AND seq > $5
                ORDER BY seq LIMIT $4 \(lock)
            )
            RETURNING seq, id, type, version, occurred_at, payload, attempts, request_id, traceparent
            """,
            owner, now.addingTimeInterval(lease), now, limit, after ?? 0)
        return try rows.map { row in
            OutboxItem(
                sequence: try row.int64("seq"),
                envelope: EventEnvelope(
                    id: try row.string("id"), type: try row.string("type"), version: try row.int("version"),
                    occurredAt: try row.date("occurred_at"), payload: try row.string("payload"),
                    trace: Self.trace(requestID: try row.optionalString("request_id"), traceparent: try row.optionalString("traceparent"))),
                attempt: try row.int("attempts"))
        }
        .sorted { $0.sequence < $1.sequence }
    }

    /// The request an event came from, when its row names one.
    static func trace(requestID: String?, traceparent: String?) -> TraceContext? {
        guard let requestID, let parent = traceparent.flatMap({ TraceParent(header: $0) }) else { return nil }
        return TraceContext(requestID: requestID, traceparent: parent)
    }

    /// Marks events delivered.
    public func markPublished(_ items: [OutboxItem], at time: Date) async throws {
        guard !items.isEmpty else { return }
        for chunk in stride(from: 0, to: items.count, by: 500).map({ Array(items[$0..<min($0 + 500, items.count)]) }) {
            let placeholders = (0..<chunk.count).map { "$\($0 + 2)" }.joined(separator: ", ")
            try await database.query(
                "UPDATE outbox_events SET published_at = $1, claimed_until = NULL WHERE seq IN (\(placeholders))",
                [time.sqlValue] + chunk.map { .integer($0.sequence) })
        }
    }

    /// Gives claimed events back without counting the attempt (the transport was unavailable, nothing is wrong with
    /// them): due again at once, for any relay.
    public func release(_ items: [OutboxItem]) async throws {
        guard !items.isEmpty else { return }
        for start in stride(from: 0, to: items.count, by: 500) {
            let chunk = items[start..<min(start + 500, items.count)]
            let placeholders = (0..<chunk.count).map { "$\($0 + 1)" }.joined(separator: ", ")
            try await database.query(
                "UPDATE outbox_events SET claimed_until = NULL, attempts = attempts - 1 WHERE seq IN (\(placeholders)) AND published_at IS NULL",
                chunk.map { .integer($0.sequence) })
        }
    }

    /// Records a failed delivery: retried at `retryAt`, or set aside as dead when `dead` is true.
    public func markFailed(_ item: OutboxItem, error: String, retryAt: Date, dead: Bool, now: Date) async throws {
        try await database.query(
            """
            UPDATE outbox_events SET claimed_until = NULL, available_at = $2, last_error = $3, dead_at = $4 WHERE seq = $1
            """,
            item.sequence, retryAt, String(error.prefix(1000)), dead ? now : nil)
    }

    /// Events not yet delivered (dead ones excluded).
    public func pendingCount() async throws -> Int {
        try await database.query("SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL AND dead_at IS NULL", [])
            .first?.int("n") ?? 0
    }

    /// Events set aside after too many failed deliveries.
    public func deadCount() async throws -> Int {
        try await database.query("SELECT COUNT(*) AS n FROM outbox_events WHERE dead_at IS NOT NULL", []).first?.int("n") ?? 0
    }
}
