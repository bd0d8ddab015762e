import NIOCore

extension AMQPChannel {
    /// Limits how many deliveries may be unacknowledged at once on this channel's consumers (basic.qos).
    /// With `global`, the limit is shared by every consumer of the channel (RabbitMQ's meaning).
    public func basicQos(prefetchCount: UInt16, global: Bool = false) async throws {
        _ = try await callForMethod(.basic(.qos(prefetchCount: prefetchCount, global: global)))
    }

    /// Puts the channel in confirm mode: from now on ``basicPublish(_:exchange:routingKey:mandatory:properties:)``
    /// returns only when the broker has taken responsibility for the message.
    public func confirmSelect() async throws {
        _ = try await callForMethod(.confirm(.select()))
    }

    /// Publishes a message.
    ///
    /// In confirm mode this returns once the broker acked the message, and throws ``AMQPError/Code/publishNacked`` on a
    /// nack, or ``AMQPError/Code/messageReturned`` when a `mandatory` message could not be routed to any queue.
    /// Otherwise it returns once the message is written to the socket (returns then only reach
    /// ``AMQPConnection/returnedMessages``). While the broker blocks publishing, it waits.
    public func basicPublish(
        _ body: ByteBuffer, exchange: String = "", routingKey: String, mandatory: Bool = false,
        properties: AMQPBasicProperties = AMQPBasicProperties()
    ) async throws {
        let message = AMQPOutboundMessage(
            exchange: exchange, routingKey: routingKey, mandatory: mandatory, message: AMQPMessage(properties: properties, body: body))
        _ = try await connection.send(.publish(message, reference))
    }

    /// Publishes several messages in order without waiting between them, then waits for all of them (for their
    /// confirms in confirm mode); throws the first failure once every one is settled.
    public func basicPublish(batch messages: [AMQPOutboundMessage]) async throws {
        try await startPublishing(batch: messages).settled()
    }

    /// Writes several messages in order (one hop to the event loop, one flush) and returns without waiting for their
    /// confirms: await ``AMQPPublishConfirmation/settled()`` for them. Batches started one after another on a channel
    /// go out in that order, so a caller can keep several batches in flight and still publish in order.
    public func startPublishing(batch messages: [AMQPOutboundMessage]) -> AMQPPublishConfirmation {
        AMQPPublishConfirmation(answers: connection.sendWithoutWaiting(batch: messages.map { .publish($0, reference) }))
    }

    /// Publishes a UTF-8 string body; see ``basicPublish(_:exchange:routingKey:mandatory:properties:)``.
    public func basicPublish(
        _ body: String, exchange: String = "", routingKey: String, mandatory: Bool = false, properties: AMQPBasicProperties = AMQPBasicProperties()
    ) async throws {
        try await basicPublish(ByteBuffer(string: body), exchange: exchange, routingKey: routingKey, mandatory: mandatory, properties: properties)
    }

    /// Starts a consumer on `queue` (basic.consume) and returns its deliveries as an `AsyncSequence`.
    ///
    /// With `noAck` the broker considers messages settled as soon as it sends them. An empty `tag` asks the broker
    /// for one. `arguments` set e.g. `x-priority`.
    public func basicConsume(
        queue: String, tag: String = "", noAck: Bool = false, exclusive: Bool = false, arguments: AMQPFieldTable = [:]
    ) async throws -> AMQPConsumer {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: AMQPDelivery.self)
        let sink = AMQPConsumerSink(
            deliver: { [self] envelope, message in continuation.yield(AMQPDelivery(envelope: envelope, message: message, channel: self)) },
            finish: { error in continuation.finish(throwing: error) }
        )
        let method = AMQPMethod.basic(.consume(queue: queue, consumerTag: tag, noAck: noAck, exclusive: exclusive, arguments: arguments))
        let response: AMQPResponse
        do {
            response = try await connection.send(.consume(method, reference, sink))
        } catch {
            continuation.finish(throwing: error)
            throw error
        }
        guard case .method(.basic(.consumeOK(let consumerTag))) = response else {
            throw AMQPError.protocolError("unexpected answer \(response) to basic.consume")
        }
        return AMQPConsumer(tag: consumerTag, channel: self, deliveries: stream)
    }

    /// Cancels a consumer (basic.cancel); its sequence ends after the deliveries already received.
    public func basicCancel(_ consumerTag: String) async throws {
        _ = try await callForMethod(.basic(.cancel(consumerTag: consumerTag)))
    }

    /// Fetches one message from `queue` without a consumer (basic.get), or nil when it has none ready.
    public func basicGet(queue: String, noAck: Bool = false) async throws -> AMQPDelivery? {
        switch try await call(.basic(.get(queue: queue, noAck: noAck))) {
        case .gotMessage(let envelope, _, let message): return AMQPDelivery(envelope: envelope, message: message, channel: self)
        case .method(.basic(.getEmpty)): return nil
        case let other: throw AMQPError.protocolError("unexpected answer \(other) to basic.get")
        }
    }

    /// Acknowledges a delivery by tag; `multiple` also settles every earlier one.
    public func basicAck(deliveryTag: UInt64, multiple: Bool = false) async throws {
        try await call(.basic(.ack(deliveryTag: deliveryTag, multiple: multiple)))
    }

    /// Writes basic.ack without waiting, so that a caller can order its acknowledgements under a lock of its own
    /// (acknowledging a tag twice closes the channel). Fails silently when the channel is closed: the broker then
    /// requeues the message itself.
    public func sendAck(deliveryTag: UInt64, multiple: Bool = false) {
        _ = connection.sendWithoutWaiting(.method(.basic(.ack(deliveryTag: deliveryTag, multiple: multiple)), reference))
    }

    /// Writes basic.nack without waiting; see ``sendAck(deliveryTag:multiple:)``.
    public func sendNack(deliveryTag: UInt64, multiple: Bool = false, requeue: Bool = true) {
        _ = connection.sendWithoutWaiting(.method(.basic(.nack(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue)), reference))
    }

    /// Refuses deliveries (basic.nack): requeued, or dropped or dead-lettered when `requeue` is false.
    public func basicNack(deliveryTag: UInt64, multiple: Bool = false, requeue: Bool = true) async throws {
        try await call(.basic(.nack(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue)))
    }

    /// Refuses one delivery (basic.reject): requeued, or dropped or dead-lettered when `requeue` is false.
    public func basicReject(deliveryTag: UInt64, requeue: Bool = false) async throws {
        try await call(.basic(.reject(deliveryTag: deliveryTag, requeue: requeue)))
    }
}
