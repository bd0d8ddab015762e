import NIOCore

extension AMQPMethod {
    /// Methods of the basic class: prefetch, consumers, publishing, deliveries and acknowledgements.
    public enum Basic: Sendable, Equatable {
        /// basic.qos (10): limits unacknowledged deliveries; `global` applies it to the whole channel (RabbitMQ).
        case qos(prefetchSize: UInt32 = 0, prefetchCount: UInt16, global: Bool = false)
        /// basic.qos-ok (11).
        case qosOK
        /// basic.consume (20): starts a consumer; an empty tag asks the broker for one.
        case consume(
            queue: String,
            consumerTag: String = "",
            noLocal: Bool = false,
            noAck: Bool = false,
            exclusive: Bool = false,
            noWait: Bool = false,
            arguments: AMQPFieldTable = [:]
        )
        /// basic.consume-ok (21).
        case consumeOK(consumerTag: String)
        /// basic.cancel (30): ends a consumer; RabbitMQ also sends it when the queue goes away.
        case cancel(consumerTag: String, noWait: Bool = false)
        /// basic.cancel-ok (31).
        case cancelOK(consumerTag: String)
        /// basic.publish (40): followed by a content header and body frames.
        case publish(exchange: String, routingKey: String, mandatory: Bool = false, immediate: Bool = false)
        /// basic.return (50): an unroutable `mandatory` message comes back; content follows.
        case returned(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
        /// basic.deliver (60): a message for a consumer; content follows.
        case deliver(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
        /// basic.get (70): fetches one message from a queue without a consumer.
        case get(queue: String, noAck: Bool = false)
        /// basic.get-ok (71): the fetched message; content follows.
        case getOK(deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, messageCount: UInt32)
        /// basic.get-empty (72): the queue had no ready message.
        case getEmpty
        /// basic.ack (80): from the client, acknowledges deliveries; from the broker, confirms publishes.
        case ack(deliveryTag: UInt64, multiple: Bool = false)
        /// basic.reject (90): rejects one delivery.
        case reject(deliveryTag: UInt64, requeue: Bool)
        /// basic.nack (120, RabbitMQ): rejects deliveries, or from the broker, negatively confirms publishes.
        case nack(deliveryTag: UInt64, multiple: Bool = false, requeue: Bool)

        var methodID: UInt16 {
            switch self {
            case .qos: 10
            case .qosOK: 11
            case .consume: 20
            case .consumeOK: 21
            case .cancel: 30
            case .cancelOK: 31
            case .publish: 40
            case .returned: 50
            case .deliver: 60
            case .get: 70
            case .getOK: 71
            case .getEmpty: 72
            case .ack: 80
            case .reject: 90
            case .nack: 120
            }
        }

        func encodeArguments(into buffer: inout ByteBuffer) throws {
            switch self {
            case .qos(let prefetchSize, let prefetchCount, let global):
                buffer.writeInteger(prefetchSize)
                buffer.writeInteger(prefetchCount)
                buffer.writeAMQPBits(global)
            case .consume(let queue, let consumerTag, let noLocal, let noAck, let exclusive, let noWait, let arguments):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                try buffer.writeAMQPShortString(consumerTag)
                buffer.writeAMQPBits(noLocal, noAck, exclusive, noWait)
                try arguments.encode(into: &buffer)
            case .consumeOK(let consumerTag), .cancelOK(let consumerTag):
                try buffer.writeAMQPShortString(consumerTag)
            case .cancel(let consumerTag, let noWait):
                try buffer.writeAMQPShortString(consumerTag)
                buffer.writeAMQPBits(noWait)
            case .publish(let exchange, let routingKey, let mandatory, let immediate):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
                buffer.writeAMQPBits(mandatory, immediate)
            case .returned(let replyCode, let replyText, let exchange, let routingKey):
                buffer.writeInteger(replyCode)
                try buffer.writeAMQPShortString(replyText)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
            case .deliver(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
                try buffer.writeAMQPShortString(consumerTag)
                buffer.writeInteger(deliveryTag)
                buffer.writeAMQPBits(redelivered)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
            case .get(let queue, let noAck):
                buffer.writeInteger(UInt16(0))  // reserved-1 (ticket)
                try buffer.writeAMQPShortString(queue)
                buffer.writeAMQPBits(noAck)
            case .getOK(let deliveryTag, let redelivered, let exchange, let routingKey, let messageCount):
                buffer.writeInteger(deliveryTag)
                buffer.writeAMQPBits(redelivered)
                try buffer.writeAMQPShortString(exchange)
                try buffer.writeAMQPShortString(routingKey)
                buffer.writeInteger(messageCount)
            case .getEmpty:
                try buffer.writeAMQPShortString("")  // reserved-1 (cluster-id)
            case .ack(let deliveryTag, let multiple):
                buffer.writeInteger(deliveryTag)
                buffer.writeAMQPBits(multiple)
            case .reject(let deliveryTag, let requeue):
                buffer.writeInteger(deliveryTag)
                buffer.writeAMQPBits(requeue)
            case .nack(let deliveryTag, let multiple, let requeue):
                buffer.writeInteger(deliveryTag)
                buffer.writeAMQPBits(multiple, requeue)
            case .qosOK:
                break
            }
        }

        static func decodeArguments(methodID: UInt16, from buffer: inout ByteBuffer) throws -> Basic? {
            switch methodID {
            case 10:
                let prefetchSize = try buffer.readAMQPInteger(as: UInt32.self)
                let prefetchCount = try buffer.readAMQPInteger(as: UInt16.self)
                return .qos(prefetchSize: prefetchSize, prefetchCount: prefetchCount, global: try buffer.readAMQPBits(count: 1)[0])
            case 11: return .qosOK
            case 20:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                let consumerTag = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 4)
                let arguments = try AMQPFieldTable.decode(from: &buffer)
                return .consume(
                    queue: queue,
                    consumerTag: consumerTag,
                    noLocal: bits[0],
                    noAck: bits[1],
                    exclusive: bits[2],
                    noWait: bits[3],
                    arguments: arguments
                )
            case 21: return .consumeOK(consumerTag: try buffer.readAMQPShortString())
            case 30:
                let consumerTag = try buffer.readAMQPShortString()
                return .cancel(consumerTag: consumerTag, noWait: try buffer.readAMQPBits(count: 1)[0])
            case 31: return .cancelOK(consumerTag: try buffer.readAMQPShortString())
            case 40:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                let bits = try buffer.readAMQPBits(count: 2)
                return .publish(exchange: exchange, routingKey: routingKey, mandatory: bits[0], immediate: bits[1])
            case 50:
                let replyCode = try buffer.readAMQPInteger(as: UInt16.self)
                let replyText = try buffer.readAMQPShortString()
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                return .returned(replyCode: replyCode, replyText: replyText, exchange: exchange, routingKey: routingKey)
            case 60:
                let consumerTag = try buffer.readAMQPShortString()
                let deliveryTag = try buffer.readAMQPInteger(as: UInt64.self)
                let redelivered = try buffer.readAMQPBits(count: 1)[0]
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                return .deliver(
                    consumerTag: consumerTag,
                    deliveryTag: deliveryTag,
                    redelivered: redelivered,
                    exchange: exchange,
                    routingKey: routingKey
                )
            case 70:
                _ = try buffer.readAMQPInteger(as: UInt16.self)
                let queue = try buffer.readAMQPShortString()
                return .get(queue: queue, noAck: try buffer.readAMQPBits(count: 1)[0])
            case 71:
                let deliveryTag = try buffer.readAMQPInteger(as: UInt64.self)
                let redelivered = try buffer.readAMQPBits(count: 1)[0]
                let exchange = try buffer.readAMQPShortString()
                let routingKey = try buffer.readAMQPShortString()
                let messageCount = try buffer.readAMQPInteger(as: UInt32.self)
                return .getOK(
                    deliveryTag: deliveryTag,
                    redelivered: redelivered,
                    exchange: exchange,
                    routingKey: routingKey,
                    messageCount: messageCount
                )
            case 72:
                _ = try buffer.readAMQPShortString()
                return .getEmpty
            case 80:
                let deliveryTag = try buffer.readAMQPInteger(as: UInt64.self)
                return .ack(deliveryTag: deliveryTag, multiple: try buffer.readAMQPBits(count: 1)[0])
            case 90:
                let deliveryTag = try buffer.readAMQPInteger(as: UInt64.self)
                return .reject(deliveryTag: deliveryTag, requeue: try buffer.readAMQPBits(count: 1)[0])
            case 120:
                let deliveryTag = try buffer.readAMQPInteger(as: UInt64.self)
                let bits = try buffer.readAMQPBits(count: 2)
                return .nack(deliveryTag: deliveryTag, multiple: bits[0], requeue: bits[1])
            default: return nil
            }
        }
    }
}
