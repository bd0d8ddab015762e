import NIOCore

/// An AMQP 0-9-1 method, grouped by class; the payload of a method frame.
public enum AMQPMethod: Sendable, Equatable {
    /// A connection-class method (class id 10).
    case connection(Connection)
    /// A channel-class method (class id 20).
    case channel(Channel)
    /// An exchange-class method (class id 40).
    case exchange(Exchange)
    /// A queue-class method (class id 50).
    case queue(Queue)
    /// A basic-class method (class id 60).
    case basic(Basic)
    /// A confirm-class method (class id 85, a RabbitMQ extension).
    case confirm(Confirm)

    /// The class id on the wire.
    public var classID: UInt16 {
        switch self {
        case .connection: 10
        case .channel: 20
        case .exchange: 40
        case .queue: 50
        case .basic: 60
        case .confirm: 85
        }
    }

    /// The method id on the wire, within its class.
    public var methodID: UInt16 {
        switch self {
        case .connection(let method): method.methodID
        case .channel(let method): method.methodID
        case .exchange(let method): method.methodID
        case .queue(let method): method.methodID
        case .basic(let method): method.methodID
        case .confirm(let method): method.methodID
        }
    }

    /// Whether a content header and body frames follow this method (basic.publish, basic.return, basic.deliver, basic.get-ok).
    public var carriesContent: Bool {
        switch self {
        case .basic(.publish), .basic(.returned), .basic(.deliver), .basic(.getOK): true
        default: false
        }
    }

    /// Writes class id, method id and the arguments.
    public func encode(into buffer: inout ByteBuffer) throws {
        buffer.writeInteger(classID)
        buffer.writeInteger(methodID)
        switch self {
        case .connection(let method): try method.encodeArguments(into: &buffer)
        case .channel(let method): try method.encodeArguments(into: &buffer)
        case .exchange(let method): try method.encodeArguments(into: &buffer)
        case .queue(let method): try method.encodeArguments(into: &buffer)
        case .basic(let method): try method.encodeArguments(into: &buffer)
        case .confirm(let method): method.encodeArguments(into: &buffer)
        }
    }

    /// Reads class id, method id and the arguments from a method frame's payload.
    public static func decode(from buffer: inout ByteBuffer) throws -> AMQPMethod {
        let classID = try buffer.readAMQPInteger(as: UInt16.self)
        let methodID = try buffer.readAMQPInteger(as: UInt16.self)
        let method: AMQPMethod? =
            switch classID {
            case 10: try Connection.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.connection)
            case 20: try Channel.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.channel)
            case 40: try Exchange.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.exchange)
            case 50: try Queue.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.queue)
            case 60: try Basic.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.basic)
            case 85: try Confirm.decodeArguments(methodID: methodID, from: &buffer).map(AMQPMethod.confirm)
            default: nil
            }
        guard let method else { throw AMQPCodecError.unknownMethod(classID: classID, methodID: methodID) }
        return method
    }
}
