/// The broker's answer to queue.declare.
public struct AMQPQueueInfo: Sendable, Hashable {
    /// The queue's name; the broker's choice when declared with an empty name.
    public var name: String
    /// Messages ready for delivery.
    public var messageCount: UInt32
    /// Consumers on the queue.
    public var consumerCount: UInt32
}

extension AMQPChannel {
    /// Declares a queue (queue.declare), or with `passive` checks that it exists (404 closes the channel if not).
    ///
    /// An empty name asks the broker to choose one. `arguments` set e.g. `x-queue-type: quorum`,
    /// `x-dead-letter-exchange`, `x-delivery-limit`, `x-message-ttl`.
    @discardableResult
    public func queueDeclare(
        _ name: String = "", durable: Bool = false, exclusive: Bool = false, autoDelete: Bool = false, passive: Bool = false,
        arguments: AMQPFieldTable = [:]
    ) async throws -> AMQPQueueInfo {
        let reply = try await callForMethod(
            .queue(.declare(queue: name, passive: passive, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)))
        guard case .queue(.declareOK(let queue, let messageCount, let consumerCount)) = reply else {
            throw AMQPError.protocolError("unexpected answer \(reply) to queue.declare")
        }
        return AMQPQueueInfo(name: queue, messageCount: messageCount, consumerCount: consumerCount)
    }

    /// Binds a queue to an exchange with a routing key (a pattern for topic exchanges).
    public func queueBind(_ queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable = [:]) async throws {
        _ = try await callForMethod(.queue(.bind(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)))
    }

    /// Removes a binding made with ``queueBind(_:exchange:routingKey:arguments:)``.
    public func queueUnbind(_ queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable = [:]) async throws {
        _ = try await callForMethod(.queue(.unbind(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)))
    }

    /// Removes every ready message from a queue; returns how many there were.
    @discardableResult
    public func queuePurge(_ queue: String) async throws -> UInt32 {
        guard case .queue(.purgeOK(let count)) = try await callForMethod(.queue(.purge(queue: queue))) else {
            throw AMQPError.protocolError("unexpected answer to queue.purge")
        }
        return count
    }

    /// Deletes a queue; returns how many messages it held. `ifUnused` and `ifEmpty` make the broker refuse (406) otherwise.
    @discardableResult
    public func queueDelete(_ queue: String, ifUnused: Bool = false, ifEmpty: Bool = false) async throws -> UInt32 {
        guard case .queue(.deleteOK(let count)) = try await callForMethod(.queue(.delete(queue: queue, ifUnused: ifUnused, ifEmpty: ifEmpty))) else {
            throw AMQPError.protocolError("unexpected answer to queue.delete")
        }
        return count
    }
}
