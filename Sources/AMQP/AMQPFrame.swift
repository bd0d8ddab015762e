import NIOCore

/// One AMQP 0-9-1 frame: a channel number and a method, content header, body chunk or heartbeat.
public struct AMQPFrame: Sendable, Equatable {
    /// What a frame carries.
    public enum Payload: Sendable, Equatable {
        /// A method frame (type 1).
        case method(AMQPMethod)
        /// A content header frame (type 2).
        case header(AMQPContentHeader)
        /// A content body frame (type 3), one chunk of the message body.
        case body(ByteBuffer)
        /// A heartbeat frame (type 8), always on channel 0.
        case heartbeat
    }

    /// The octet that ends every frame.
    public static let frameEnd: UInt8 = 0xCE
    /// Bytes a frame adds around its payload: type (1), channel (2), size (4) and frame-end (1).
    public static let overhead = 8

    /// The channel number; 0 for connection-class methods and heartbeats.
    public var channel: UInt16
    /// The frame's payload.
    public var payload: Payload

    /// Creates a frame.
    public init(channel: UInt16, payload: Payload) {
        self.channel = channel
        self.payload = payload
    }

    /// A heartbeat frame on channel 0.
    public static var heartbeat: AMQPFrame { AMQPFrame(channel: 0, payload: .heartbeat) }

    /// The frame type octet on the wire.
    public var type: UInt8 {
        switch payload {
        case .method: 1
        case .header: 2
        case .body: 3
        case .heartbeat: 8
        }
    }

    /// Writes the whole frame, header to frame-end octet.
    public func encode(into buffer: inout ByteBuffer) throws {
        buffer.writeInteger(type)
        buffer.writeInteger(channel)
        try buffer.writeAMQPLengthPrefixed { buffer in
            switch payload {
            case .method(let method): try method.encode(into: &buffer)
            case .header(let header): try header.encode(into: &buffer)
            case .body(var body): buffer.writeBuffer(&body)
            case .heartbeat: break
            }
        }
        buffer.writeInteger(Self.frameEnd)
    }

    static func decodePayload(type: UInt8, channel: UInt16, payload: inout ByteBuffer) throws -> AMQPFrame {
        switch type {
        case 1: return AMQPFrame(channel: channel, payload: .method(try AMQPMethod.decode(from: &payload)))
        case 2: return AMQPFrame(channel: channel, payload: .header(try AMQPContentHeader.decode(from: &payload)))
        case 3: return AMQPFrame(channel: channel, payload: .body(payload))
        case 8: return AMQPFrame(channel: channel, payload: .heartbeat)
        default: throw AMQPCodecError.unknownFrameType(type)
        }
    }
}
