import NIOCore

/// The state of one pipelined RESP connection, as a value: the commands in flight, in the order their replies will come.
///
/// It performs no I/O; every event returns the action the channel handler must carry out. `Context` is whatever the
/// handler needs to answer a command (a promise in production, a plain value in tests).
struct RESPConnectionStateMachine<Context> {
    /// One command, or a pipelined batch of them answered through one context.
    private struct InFlight {
        var id: UInt64
        /// `nil` once the command gave up (timed out): its replies are still on the way and are dropped.
        var context: Context?
        /// When the command gives up waiting, if it has a timeout.
        var deadline: NIODeadline?
        /// How many replies the entry waits for: 1 for a command, the batch's size for a batch.
        var replies: Int
        /// How many of them have arrived.
        var received: Int = 0
    }

    private enum State {
        case active
        case closing
        case closed(RESPError)
    }

    private var state: State = .active
    private var inFlight = CircularBuffer<InFlight>()
    private var nextID: UInt64 = 0

    init() {}

    /// Replies still expected (including those of abandoned commands, which are dropped when they arrive).
    var inFlightCount: Int { inFlight.reduce(0) { $0 + $1.replies - $1.received } }

    enum SendAction {
        /// Write the command; `id` names it.
        case write(id: UInt64)
        /// Do not write; answer the command with this error.
        case fail(Context, RESPError)
    }

    /// A command (or, with `replies` above 1, a pipelined batch whose replies all go to `context`) is to be sent.
    mutating func send(_ context: Context, replies: Int = 1, deadline: NIODeadline? = nil) -> SendAction {
        precondition(replies > 0, "a command has a reply")
        switch state {
        case .active:
            let id = nextID
            nextID &+= 1
            inFlight.append(InFlight(id: id, context: context, deadline: deadline, replies: replies))
            return .write(id: id)
        case .closing:
            return .fail(context, RESPError(code: .connectionClosed, message: "the connection is closing"))
        case .closed(let error):
            return .fail(context, error)
        }
    }

    enum ReceiveAction {
        /// Answer reply `index` (0 for a single command) of the entry; afterwards close the channel if `close` is set
        /// (a graceful close has drained).
        case deliver(Context, index: Int, Result<RESPValue, RESPError>, close: Bool)
        /// The reply belonged to a command that already gave up; close the channel if `close` is set.
        case discard(close: Bool)
        /// An out-of-band RESP3 push message, not a reply.
        case push(RESPValue)
        /// The server broke the protocol: close the channel and fail these commands with the error.
        case closeConnection(RESPError, failing: [Context])
    }

    mutating func receive(_ value: RESPValue) -> ReceiveAction {
        if case .push = value { return .push(value) }
        switch state {
        case .closed:
            return .discard(close: false)
        case .active, .closing:
            guard let head = inFlight.indices.first else {
                let error = RESPError.protocolError("reply received with no command in flight")
                return .closeConnection(error, failing: failAll(with: error))
            }
            let index = inFlight[head].received
            let context = inFlight[head].context
            if index + 1 == inFlight[head].replies {
                inFlight.removeFirst()
            } else {
                inFlight[head].received = index + 1
            }
            let close = isClosing && inFlight.isEmpty
            if close { state = .closed(RESPError(code: .connectionClosed, message: "the connection was closed")) }
            guard let context else { return .discard(close: close) }
            switch value {
            case .error(let text), .bulkError(let text):
                return .deliver(context, index: index, .failure(RESPError(code: .serverError, message: text)), close: close)
            default:
                return .deliver(context, index: index, .success(value), close: close)
            }
        }
    }

    /// The commands whose deadline is at or before `now` give up: returns their contexts to fail with a timeout,
    /// and the earliest deadline still pending, for the handler's single timer.
    mutating func expire(now: NIODeadline) -> (expired: [Context], next: NIODeadline?) {
        var expired: [Context] = []
        var next: NIODeadline?
        for index in inFlight.indices {
            guard let context = inFlight[index].context, let deadline = inFlight[index].deadline else { continue }
            if deadline <= now {
                expired.append(context)
                inFlight[index].context = nil
            } else if next.map({ deadline < $0 }) ?? true {
                next = deadline
            }
        }
        return (expired, next)
    }

    enum CloseAction {
        /// Close the channel now and fail these commands.
        case closeNow(failing: [Context], RESPError)
        /// Wait: replies are still pending; a later ``receive(_:)`` will say when to close.
        case waitForReplies
        /// Nothing to do: already closed or closing.
        case none
    }

    /// The owner asked to close: new commands are refused, commands in flight still get their replies.
    mutating func close() -> CloseAction {
        guard case .active = state else { return .none }
        if inFlight.allSatisfy({ $0.context == nil }) {
            let error = RESPError(code: .connectionClosed, message: "the connection was closed")
            return .closeNow(failing: failAll(with: error), error)
        }
        state = .closing
        return .waitForReplies
    }

    /// The channel went away (or failed with `error`): every command still in flight fails.
    mutating func closed(error: RESPError = RESPError(code: .connectionLost, message: "the connection was lost")) -> [Context] {
        if case .closed = state, inFlight.isEmpty { return [] }
        return failAll(with: error)
    }

    private var isClosing: Bool {
        if case .closing = state { return true }
        return false
    }

    private mutating func failAll(with error: RESPError) -> [Context] {
        state = .closed(error)
        let contexts = inFlight.compactMap(\.context)
        inFlight.removeAll()
        return contexts
    }
}
