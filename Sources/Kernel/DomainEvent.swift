import Foundation

/// A fact one service reports to the others; its payload travels as JSON inside an ``EventEnvelope``.
public protocol DomainEvent: Codable, Sendable {
    /// The event's type name, such as `payment.created`.
    static var type: String { get }
    /// The payload's schema version; bumped on incompatible changes.
    static var version: Int { get }
}

/// An event as it is stored in the outbox and carried by a transport.
public struct EventEnvelope: Codable, Sendable, Hashable {
    /// Unique id; consumers deduplicate on it.
    public var id: String
    /// The type name, such as `auth.account_locked`.
    public var type: String
    /// The payload's schema version.
    public var version: Int
    /// When the change happened.
    public var occurredAt: Date
    /// The payload as JSON text.
    public var payload: String
    /// The request that caused the event, if one did: consumers handle it in that request's context, so their log
    /// lines carry its `request_id` and `trace_id`.
    public var trace: TraceContext?

    /// Creates an envelope from its parts.
    public init(id: String, type: String, version: Int, occurredAt: Date, payload: String, trace: TraceContext? = nil) {
        self.id = id
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.payload = payload
        self.trace = trace
    }

    /// Wraps a typed event with a fresh id, caused by the request being served (`TraceContext.current`), if any: the
    /// event is a hop of its own in that request's trace.
    public init<Event: DomainEvent>(_ event: Event, at time: Date) throws {
        let data = try EventEnvelope.encoder.encode(event)
        self.init(
            id: UUID().uuidString.lowercased(), type: Event.type, version: Event.version, occurredAt: time,
            payload: String(decoding: data, as: UTF8.self), trace: TraceContext.current.map { $0.onward() })
    }

    /// Decodes the payload as `Event`; throws when the type does not match.
    public func decode<Event: DomainEvent>(_: Event.Type) throws -> Event {
        guard type == Event.type else { throw EventTypeMismatch(expected: Event.type, actual: type) }
        return try EventEnvelope.decoder.decode(Event.self, from: Data(payload.utf8))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Thrown when an envelope is decoded as the wrong event type.
public struct EventTypeMismatch: Error, Sendable {
    /// The type the caller asked for.
    public var expected: String
    /// The type the envelope carries.
    public var actual: String
}
