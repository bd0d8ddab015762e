import NIOCore

@testable import AMQP

/// Builds a buffer from literal bytes and ASCII text, so byte examples read like the spec's layouts.
func bytes(_ parts: Any...) -> ByteBuffer {
    var buffer = ByteBuffer()
    for part in parts {
        switch part {
        case let text as String: buffer.writeString(text)
        case let octets as [UInt8]: buffer.writeBytes(octets)
        case let octets as [Int]: buffer.writeBytes(octets.map { UInt8($0) })
        case let octet as Int: buffer.writeInteger(UInt8(octet))
        default: fatalError("unsupported part \(part)")
        }
    }
    return buffer
}

func encoded(_ frame: AMQPFrame) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    try frame.encode(into: &buffer)
    return buffer
}

func encoded(_ method: AMQPMethod) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    try method.encode(into: &buffer)
    return buffer
}

let sampleTable: AMQPFieldTable = [
    "x-queue-type": "quorum",
    "x-delivery-limit": .int32(5),
    "nested": .table(["ok": true, "list": .array([.int8(-1), .string("two"), .void])]),
]

/// One instance of every method the codec knows, with non-default values so field order mistakes show.
let allMethods: [AMQPMethod] = [
    .connection(
        .start(
            versionMajor: 0,
            versionMinor: 9,
            serverProperties: ["product": "RabbitMQ", "capabilities": .table(["publisher_confirms": true])],
            mechanisms: "PLAIN AMQPLAIN",
            locales: "en_US"
        )
    ),
    .connection(.startOK(clientProperties: ["product": "lastmile"], mechanism: "PLAIN", response: "\u{0}guest\u{0}guest", locale: "en_US")),
    .connection(.secure(challenge: "challenge")),
    .connection(.secureOK(response: "answer")),
    .connection(.tune(channelMax: 2047, frameMax: 131_072, heartbeat: 60)),
    .connection(.tuneOK(channelMax: 100, frameMax: 65_536, heartbeat: 30)),
    .connection(.open(virtualHost: "/")),
    .connection(.openOK),
    .connection(.close(replyCode: 320, replyText: "CONNECTION_FORCED", classID: 0, methodID: 0)),
    .connection(.closeOK),
    .connection(.blocked(reason: "low on memory")),
    .connection(.unblocked),
    .channel(.open),
    .channel(.openOK),
    .channel(.flow(active: true)),
    .channel(.flowOK(active: false)),
    .channel(.close(replyCode: 404, replyText: "NOT_FOUND - no queue 'q'", classID: 50, methodID: 10)),
    .channel(.closeOK),
    .exchange(.declare(exchange: "lastmile.events", type: "topic", passive: true, durable: true, internal: true, arguments: sampleTable)),
    .exchange(.declareOK),
    .exchange(.delete(exchange: "old", ifUnused: true, noWait: true)),
    .exchange(.deleteOK),
    .queue(.declare(queue: "orders", durable: true, exclusive: true, noWait: true, arguments: sampleTable)),
    .queue(.declareOK(queue: "amq.gen-1", messageCount: 7, consumerCount: 2)),
    .queue(.bind(queue: "orders", exchange: "lastmile.events", routingKey: "order.*", noWait: true, arguments: ["k": 1])),
    .queue(.bindOK),
    .queue(.purge(queue: "orders", noWait: true)),
    .queue(.purgeOK(messageCount: 3)),
    .queue(.delete(queue: "orders", ifUnused: true, ifEmpty: false, noWait: true)),
    .queue(.deleteOK(messageCount: 9)),
    .queue(.unbind(queue: "orders", exchange: "lastmile.events", routingKey: "order.*", arguments: ["k": 1])),
    .queue(.unbindOK),
    .basic(.qos(prefetchSize: 0, prefetchCount: 50, global: true)),
    .basic(.qosOK),
    .basic(.consume(queue: "orders", consumerTag: "c1", noLocal: true, noAck: false, exclusive: true, noWait: false, arguments: ["x-priority": 3])),
    .basic(.consumeOK(consumerTag: "amq.ctag-1")),
    .basic(.cancel(consumerTag: "c1", noWait: true)),
    .basic(.cancelOK(consumerTag: "c1")),
    .basic(.publish(exchange: "lastmile.events", routingKey: "order.created", mandatory: true, immediate: false)),
    .basic(.returned(replyCode: 312, replyText: "NO_ROUTE", exchange: "lastmile.events", routingKey: "nowhere")),
    .basic(.deliver(consumerTag: "c1", deliveryTag: 1 << 40, redelivered: true, exchange: "lastmile.events", routingKey: "order.created")),
    .basic(.get(queue: "orders", noAck: true)),
    .basic(.getOK(deliveryTag: 7, redelivered: true, exchange: "lastmile.events", routingKey: "order.created", messageCount: 12)),
    .basic(.getEmpty),
    .basic(.ack(deliveryTag: 42, multiple: true)),
    .basic(.reject(deliveryTag: 43, requeue: true)),
    .basic(.nack(deliveryTag: 44, multiple: false, requeue: true)),
    .confirm(.select(noWait: true)),
    .confirm(.selectOK),
]

let fullProperties = AMQPBasicProperties(
    contentType: "application/json",
    contentEncoding: "utf-8",
    headers: ["x-attempt": .int32(2), "trace": "abc"],
    deliveryMode: 2,
    priority: 5,
    correlationID: "corr-1",
    replyTo: "amq.rabbitmq.reply-to",
    expiration: "60000",
    messageID: "0b6c5e1e-7a57-4d3c-9bde-7a1c1b0e9a10",
    timestamp: 1_700_000_000,
    type: "order.created",
    userID: "guest",
    appID: "lastmile"
)

/// Frames of every kind, on several channels.
let allFrames: [AMQPFrame] =
    allMethods.enumerated().map { AMQPFrame(channel: UInt16($0.offset % 3), payload: .method($0.element)) } + [
        AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 11, properties: fullProperties))),
        AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 0))),
        AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "hello world"))),
        AMQPFrame(channel: 2, payload: .body(ByteBuffer())),
        .heartbeat,
    ]
