import NIOCore

@testable import AMQP

typealias Machine = AMQPConnectionStateMachine<Int>
typealias Action = AMQPAction<Int>

let testSettings = Machine.Settings(
    username: "user",
    password: "pa:ss",
    virtualHost: "/lastmile",
    tuning: AMQPTuning(channelMax: 100, frameMax: 65_536, heartbeat: 30),
    clientProperties: ["product": "test"]
)

let serverStart = AMQPMethod.connection(
    .start(versionMajor: 0, versionMinor: 9, serverProperties: ["product": "RabbitMQ"], mechanisms: "AMQPLAIN PLAIN", locales: "en_US"))

func method(_ method: AMQPMethod, channel: UInt16 = 0) -> AMQPFrame {
    AMQPFrame(channel: channel, payload: .method(method))
}

/// A machine that went through the whole handshake with the broker proposing `serverTuning`.
func openMachine(
    settings: Machine.Settings = testSettings, serverTuning: AMQPTuning = AMQPTuning(channelMax: 2047, frameMax: 131_072, heartbeat: 60)
) -> Machine {
    var machine = Machine(settings: settings)
    _ = machine.start()
    _ = machine.receive(method(serverStart))
    _ = machine.receive(
        method(.connection(.tune(channelMax: serverTuning.channelMax, frameMax: serverTuning.frameMax, heartbeat: serverTuning.heartbeat))))
    _ = machine.receive(method(.connection(.openOK)))
    return machine
}

/// Opens a channel answered to `context`; returns its reference.
@discardableResult
func openChannel(_ machine: inout Machine, context: Int = 100) -> AMQPChannelReference {
    let actions = machine.openChannel(context: context)
    guard case .send(let frames, nil) = actions.first, let number = frames.first?.channel else { fatalError("no channel.open in \(actions)") }
    let opened = machine.receive(method(.channel(.openOK), channel: number))
    guard case .succeed(context, .channelOpened(let reference)) = opened.first else { fatalError("not opened: \(opened)") }
    return reference
}

/// The frames of every `.send` action, in order.
func sentFrames(_ actions: [Action]) -> [AMQPFrame] {
    actions.flatMap { action -> [AMQPFrame] in
        if case .send(let frames, _) = action { return frames }
        return []
    }
}

/// The frames a broker sends to deliver `body` to consumer `tag` on `channel`, the body cut in `chunks` pieces.
func deliveryFrames(
    channel: UInt16, tag: String, deliveryTag: UInt64, body: String, chunks: Int = 1, properties: AMQPBasicProperties = AMQPBasicProperties()
)
    -> [AMQPFrame]
{
    let bytes = Array(body.utf8)
    var frames = [
        method(.basic(.deliver(consumerTag: tag, deliveryTag: deliveryTag, redelivered: false, exchange: "ex", routingKey: "rk")), channel: channel),
        AMQPFrame(channel: channel, payload: .header(AMQPContentHeader(bodySize: UInt64(bytes.count), properties: properties))),
    ]
    let size = bytes.isEmpty ? 0 : (bytes.count + chunks - 1) / chunks
    var start = 0
    while start < bytes.count {
        let end = min(start + size, bytes.count)
        frames.append(AMQPFrame(channel: channel, payload: .body(ByteBuffer(bytes: bytes[start..<end]))))
        start = end
    }
    return frames
}

extension Machine {
    /// Feeds several frames, collecting every action.
    mutating func receive(_ frames: [AMQPFrame]) -> [Action] {
        frames.flatMap { receive($0) }
    }
}
