/// The exchanges, queues and bindings a client declared, in declaration order, to declare again after a reconnect.
struct AMQPTopology: Sendable {
    enum Item: Sendable, Equatable {
        case exchange(name: String, type: String, durable: Bool, autoDelete: Bool, internal: Bool, arguments: AMQPFieldTable)
        case queue(name: String, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: AMQPFieldTable)
        case binding(queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable)

        /// What identifies the entity: a later declaration with the same key replaces the earlier one.
        var key: String {
            switch self {
            case .exchange(let name, _, _, _, _, _): "e:\(name)"
            case .queue(let name, _, _, _, _): "q:\(name)"
            case .binding(let queue, let exchange, let routingKey, let arguments): "b:\(queue)\u{0}\(exchange)\u{0}\(routingKey)\u{0}\(arguments)"
            }
        }
    }

    private(set) var items: [Item] = []

    /// Records a declaration (replacing an earlier one of the same entity, which keeps its place).
    mutating func record(_ item: Item) {
        if let index = items.firstIndex(where: { $0.key == item.key }) {
            items[index] = item
        } else {
            items.append(item)
        }
    }

    /// Forgets a deleted exchange and the bindings to it.
    mutating func removeExchange(_ name: String) {
        items.removeAll { item in
            switch item {
            case .exchange(let exchange, _, _, _, _, _): exchange == name
            case .binding(_, let exchange, _, _): exchange == name
            case .queue: false
            }
        }
    }

    /// Forgets a deleted queue and its bindings.
    mutating func removeQueue(_ name: String) {
        items.removeAll { item in
            switch item {
            case .queue(let queue, _, _, _, _): queue == name
            case .binding(let queue, _, _, _): queue == name
            case .exchange: false
            }
        }
    }

    /// Forgets one binding.
    mutating func removeBinding(queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable) {
        let key = Item.binding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments).key
        items.removeAll { $0.key == key }
    }

    /// Declares everything on `channel`, in order.
    func declare(on channel: AMQPChannel) async throws {
        for item in items {
            switch item {
            case .exchange(let name, let type, let durable, let autoDelete, let `internal`, let arguments):
                try await channel.exchangeDeclare(
                    name, type: type, durable: durable, autoDelete: autoDelete, internal: `internal`, arguments: arguments)
            case .queue(let name, let durable, let exclusive, let autoDelete, let arguments):
                try await channel.queueDeclare(name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)
            case .binding(let queue, let exchange, let routingKey, let arguments):
                try await channel.queueBind(queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
            }
        }
    }
}
