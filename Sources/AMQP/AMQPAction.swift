/// One incarnation of a channel: its number and a serial that is never reused, so a request for a channel that was
/// closed (and whose number was given to a new channel) cannot land on the new one.
struct AMQPChannelReference: Sendable, Hashable {
    var number: UInt16
    var serial: UInt64
}

/// What a request waiting on the state machine is answered with.
enum AMQPResponse: Sendable, Equatable {
    /// The broker's synchronous reply to a method, e.g. queue.declare-ok.
    case method(AMQPMethod)
    /// basic.get-ok and its message.
    case gotMessage(AMQPEnvelope, messageCount: UInt32, AMQPMessage)
    /// A channel opened; requests on it name this reference.
    case channelOpened(AMQPChannelReference)
    /// The request is done: the frames were written, or the broker confirmed the publish.
    case done
}

/// What the channel handler must do next, as told by ``AMQPConnectionStateMachine``.
enum AMQPAction<Context> {
    /// Write the protocol header that starts the handshake.
    case sendProtocolHeader
    /// Write these frames and flush; once written, answer `completing` (if any) with ``AMQPResponse/done``.
    case send([AMQPFrame], completing: Context?)
    /// Answer a request.
    case succeed(Context, AMQPResponse)
    /// Fail a request.
    case fail(Context, AMQPError)
    /// Tuning is settled: size the decoder for `frameMax` and call ``AMQPConnectionStateMachine/heartbeatTick()``
    /// every half `heartbeat` seconds (never when 0).
    case tuned(AMQPTuning)
    /// The handshake finished: the connection is open.
    case connected(AMQPTuning, serverProperties: AMQPFieldTable)
    /// A message for consumer `consumerTag` on `channel`.
    case deliver(channel: UInt16, consumerTag: String, AMQPEnvelope, AMQPMessage)
    /// An unroutable `mandatory` message came back on `channel`.
    case returned(channel: UInt16, AMQPReturnedMessage)
    /// The consumer ended: cancelled by the client, by the broker (e.g. its queue was deleted), or with its channel.
    case consumerEnded(channel: UInt16, consumerTag: String, AMQPError?)
    /// The channel is closed (by either side) and its number free again; `error` is nil when the client closed it.
    case channelClosed(channel: UInt16, AMQPError?)
    /// The broker blocked publishing (connection.blocked) with this reason; publishes wait until it unblocks.
    case blocked(String)
    /// The broker unblocked publishing.
    case unblocked
    /// Close the socket; `error` is nil after a graceful close the client asked for.
    case closeSocket(AMQPError?)
}

extension AMQPAction: Equatable where Context: Equatable {}
