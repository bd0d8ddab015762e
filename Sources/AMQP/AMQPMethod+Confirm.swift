import NIOCore

extension AMQPMethod {
    /// Methods of the confirm class (RabbitMQ publisher confirms).
    public enum Confirm: Sendable, Equatable {
        /// confirm.select (10): puts the channel in confirm mode.
        case select(noWait: Bool = false)
        /// confirm.select-ok (11).
        case selectOK

        var methodID: UInt16 {
            switch self {
            case .select: 10
            case .selectOK: 11
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) {
            switch self {
            case .select(let noWait): buffer.writeAMQPBits(noWait)
            case .selectOK: break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Confirm? {
            switch methodID {
            case 10: .select(noWait: try buffer.readAMQPBits(count: 1)[0])
            case 11: .selectOK
            default: nil
            }
        }
    }
}
