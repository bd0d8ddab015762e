import NIOCore

extension AMQPMethod {
    /// Methods of the queue class.
    public enum Queue: Sendable, Equatable {
        /// queue.declare (10): creates the queue if it does not exist, or checks it when `passive`; an empty name asks the broker for one.
        case declare(
            queue: String,
            passive: Bool = false,
            durable: Bool = false,
            exclusive: Bool = false,
            autoDelete: Bool = false,
            noWait: Bool = false,
            arguments: AMQPFieldTable = [:]
        )
        /// queue.declare-ok (11): the queue's name and its current message and consumer counts.
        case declareOK(queue: String, messageCount: UInt32, consumerCount: UInt32)
        /// queue.bind (20).
        case bind(queue: String, exchange: String, routingKey: String, noWait: Bool = false, arguments: AMQPFieldTable = [:])
        /// queue.bind-ok (21).
        case bindOK
        /// queue.purge (30): removes all ready messages.
        case purge(queue: String, noWait: Bool = false)
        /// queue.purge-ok (31).
        case purgeOK(messageCount: UInt32)
        /// queue.delete (40).
        case delete(queue: String, ifUnused: Bool = false, ifEmpty: Bool = false, noWait: Bool = false)
        /// queue.delete-ok (41): the number of messages deleted with the queue.
        case deleteOK(messageCount: UInt32)
        /// queue.unbind (50).
        case unbind(queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable = [:])
        /// queue.unbind-ok (51).
        case unbindOK

        var methodID: UInt16 {
            switch self {
            case .declare: 10
            case .declareOK: 11
            case .bind: 20
            case .bindOK: 21
            case .purge: 30
            case .purgeOK: 31
            case .delete: 40
            case .deleteOK: 41
            case .unbind: 50
            case .unbindOK: 51
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) throws {
            switch self {
            case .declare(let queue, let passive, let durable, let exclusive, let autoDelete, let noWait, let arguments):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                buffer.writeAMQPBits(passive, durable, exclusive, autoDelete, noWait)
                try arguments.encode(into: &buffer)
            case .declareOK(let queue, let messageCount, let consumerCount):
                try buffer.writeAMQPShortString(queue)
                buffer.writeInteger(messageCount)
                buffer.writeInteger(consumerCount)
            case .bind(let queue, let exchange, let routingKey, let noWait, let arguments):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
                buffer.writeAMQPBits(noWait)
                try arguments.encode(into: &buffer)
            case .purge(let queue, let noWait):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                buffer.writeAMQPBits(noWait)
            case .delete(let queue, let ifUnused, let ifEmpty, let noWait):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                buffer.writeAMQPBits(ifUnused, ifEmpty, noWait)
            case .purgeOK(let messageCount), .deleteOK(let messageCount):
                buffer.writeInteger(messageCount)
            case .unbind(let queue, let exchange, let routingKey, let arguments):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
                try arguments.encode(into: &buffer)
            case .bindOK, .unbindOK:
                break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Queue? {
            switch methodID {
            case 10:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 5)
                let arguments = try AMQPFieldTable.decode(from: &buffer)
                return .declare(
                    queue: queue,
                    passive: bits[0],
                    durable: bits[1],
                    exclusive: bits[2],
                    autoDelete: bits[3],
                    noWait: bits[4],
                    arguments: arguments
                )
            case 11:
                let queue = try buffer.readAMQPShortString()
                let messageCount = try buffer.readAMQPInteger(as: UInt32.self)
                let consumerCount = try buffer.readAMQPInteger(as: UInt32.self)
                return .declareOK(queue: queue, messageCount: messageCount, consumerCount: consumerCount)
            case 20:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                let noWait = try buffer.readAMQPBits(count: 1)[0]
                let arguments = try AMQPFieldTable.decode(from: &buffer)
                return .bind(queue: queue, exchange: exchange, routingKey: routingKey, noWait: noWait, arguments: arguments)
            case 21: return .bindOK
            case 30:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                return .purge(queue: queue, noWait: try buffer.readAMQPBits(count: 1)[0])
            case 31: return .purgeOK(messageCount: try buffer.readAMQPInteger())
            case 40:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 3)
                return .delete(queue: queue, ifUnused: bits[0], ifEmpty: bits[1], noWait: bits[2])
            case 41: return .deleteOK(messageCount: try buffer.readAMQPInteger())
            case 50:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                let arguments = try AMQPFieldTable.decode(from: &buffer)
                return .unbind(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
            case 51: return .unbindOK
            default: return nil
            }
        }
    }
}
