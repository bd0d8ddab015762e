import NIOCore

extension AMQPMethod {
    /// Methods of the exchange class.
    public enum Exchange: Sendable, Equatable {
        /// exchange.declare (10): creates the exchange if it does not exist, or checks it when `passive`.
        case declare(
            exchange: String,
            type: String,
            passive: Bool = false,
            durable: Bool = false,
            autoDelete: Bool = false,
            internal: Bool = false,
            noWait: Bool = false,
            arguments: AMQPFieldTable = [:]
        )
        /// exchange.declare-ok (11).
        case declareOK
        /// exchange.delete (20).
        case delete(exchange: String, ifUnused: Bool = false, noWait: Bool = false)
        /// exchange.delete-ok (21).
        case deleteOK

        var methodID: UInt16 {
            switch self {
            case .declare: 10
            case .declareOK: 11
            case .delete: 20
            case .deleteOK: 21
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) throws {
            switch self {
            case .declare(let exchange, let type, let passive, let durable, let autoDelete, let `internal`, let noWait, let arguments):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(type)
                buffer.writeAMQPBits(passive, durable, autoDelete, `internal`, noWait)
                try arguments.encode(into: &buffer)
            case .delete(let exchange, let ifUnused, let noWait):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(exchange)
                buffer.writeAMQPBits(ifUnused, noWait)
            case .declareOK, .deleteOK:
                break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Exchange? {
            switch methodID {
            case 10:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let exchange = try buffer.readAMQPShortString()
                let type = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 5)
                let arguments = try AMQPFieldTable.decode(from: &buffer)
                return .declare(
                    exchange: exchange,
                    type: type,
                    passive: bits[0],
                    durable: bits[1],
                    autoDelete: bits[2],
                    internal: bits[3],
                    noWait: bits[4],
                    arguments: arguments
                )
            case 11: return .declareOK
            case 20:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let exchange = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 2)
                return .delete(exchange: exchange, ifUnused: bits[0], noWait: bits[1])
            case 21: return .deleteOK
            default: return nil
            }
        }
    }
}
