import AMQP
import Foundation
import Kernel
import NIOCore

/// How an event travels as an AMQP message: the payload as a JSON body, routed by its type.
///
/// Message id = event id, type = event type, timestamp = when it happened (seconds; the milliseconds ride in
/// the `x-occurred-at-ms` header), persistent, with the payload's schema version in `x-event-version`; the request
/// that caused it, if any, in `x-request-id` and `traceparent` (W3C Trace Context, as in HTTP).
enum AMQPEventCoding {
    static let versionHeader = "x-event-version"
    static let occurredAtHeader = "x-occurred-at-ms"
    static let requestIDHeader = "x-request-id"
    static let traceparentHeader = "traceparent"

    /// The message that carries `event` to the `lastmile.events` exchange.
    static func message(for event: EventEnvelope, exchange: String) -> AMQPOutboundMessage {
        let milliseconds = Int64((event.occurredAt.timeIntervalSince1970 * 1000).rounded())
        var headers: AMQPFieldTable = [versionHeader: .int32(Int32(clamping: event.version)), occurredAtHeader: .int64(milliseconds)]
        if let trace = event.trace {
            headers[requestIDHeader] = .string(trace.requestID)
            headers[traceparentHeader] = .string(trace.traceparent.header)
        }
        let properties = AMQPBasicProperties(
            contentType: "application/json",
            headers: headers,
            deliveryMode: 2,
            messageID: event.id,
            timestamp: UInt64(max(0, milliseconds / 1000)),
            type: event.type
        )
        return AMQPOutboundMessage(
            exchange: exchange, routingKey: event.type, message: AMQPMessage(properties: properties, body: ByteBuffer(string: event.payload)))
    }

    /// The event a delivered message carries, or nil when it lacks an id (it was not published by this transport).
    static func event(from message: AMQPMessage, routingKey: String) -> EventEnvelope? {
        let properties = message.properties
        guard let id = properties.messageID, !id.isEmpty else { return nil }
        let occurredAt: Date
        if case .int64(let milliseconds) = properties.headers?[occurredAtHeader] {
            occurredAt = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        } else {
            occurredAt = Date(timeIntervalSince1970: Double(properties.timestamp ?? 0))
        }
        let version: Int =
            switch properties.headers?[versionHeader] {
            case .int32(let value): Int(value)
            case .int64(let value): Int(value)
            case .int16(let value): Int(value)
            case .int8(let value): Int(value)
            default: 1
            }
        return EventEnvelope(
            id: id, type: properties.type ?? routingKey, version: version, occurredAt: occurredAt, payload: String(buffer: message.body),
            trace: trace(in: properties.headers))
    }

    /// The request a message's headers name, when both parts are there and well-formed (a publisher outside
    /// LastMile could write anything).
    static func trace(in headers: AMQPFieldTable?) -> TraceContext? {
        guard case .string(let requestID) = headers?[requestIDHeader], TraceContext.isAcceptable(requestID: requestID),
            case .string(let header) = headers?[traceparentHeader], let traceparent = TraceParent(header: header)
        else { return nil }
        return TraceContext(requestID: requestID, traceparent: traceparent)
    }
}
