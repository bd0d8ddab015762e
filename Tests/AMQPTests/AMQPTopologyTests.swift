import Testing

@testable import AMQP

@Suite struct AMQPTopologyTests {
    @Test func declarationsKeepTheirOrderAndLaterOnesReplaceEarlier() {
        var topology = AMQPTopology()
        topology.record(.exchange(name: "ex", type: "topic", durable: true, autoDelete: false, internal: false, arguments: [:]))
        topology.record(.queue(name: "q", durable: true, exclusive: false, autoDelete: false, arguments: [:]))
        topology.record(.binding(queue: "q", exchange: "ex", routingKey: "a.*", arguments: [:]))
        topology.record(.queue(name: "q", durable: true, exclusive: false, autoDelete: false, arguments: ["x-queue-type": "quorum"]))
        #expect(
            topology.items == [
                .exchange(name: "ex", type: "topic", durable: true, autoDelete: false, internal: false, arguments: [:]),
                .queue(name: "q", durable: true, exclusive: false, autoDelete: false, arguments: ["x-queue-type": "quorum"]),
                .binding(queue: "q", exchange: "ex", routingKey: "a.*", arguments: [:]),
            ])
    }

    @Test func deletingAQueueOrExchangeForgetsItsBindings() {
        var topology = AMQPTopology()
        topology.record(.exchange(name: "ex", type: "topic", durable: true, autoDelete: false, internal: false, arguments: [:]))
        topology.record(.queue(name: "q", durable: true, exclusive: false, autoDelete: false, arguments: [:]))
        topology.record(.queue(name: "r", durable: true, exclusive: false, autoDelete: false, arguments: [:]))
        topology.record(.binding(queue: "q", exchange: "ex", routingKey: "a", arguments: [:]))
        topology.record(.binding(queue: "r", exchange: "ex", routingKey: "b", arguments: [:]))
        topology.record(.binding(queue: "r", exchange: "ex", routingKey: "c", arguments: [:]))
        topology.removeQueue("q")
        #expect(topology.items.count == 4)
        topology.removeBinding(queue: "r", exchange: "ex", routingKey: "b", arguments: [:])
        #expect(topology.items.count == 3)
        topology.removeExchange("ex")
        #expect(topology.items == [.queue(name: "r", durable: true, exclusive: false, autoDelete: false, arguments: [:])])
    }
}
