import NIOCore

/// Where a command's reply goes: the command's own promise, or its slot in a pipelined batch.
enum RESPReplySink {
    case single(EventLoopPromise<RESPValue>)
    case batch(RESPBatchReplies, index: Int)

    /// Answers the command; a second answer is ignored.
    func complete(_ result: Result<RESPValue, RESPError>) {
        switch self {
        case .single(let promise): promise.completeWith(result.mapError { $0 as any Error })
        case .batch(let replies, let index): replies.complete(index, result)
        }
    }

    /// Answers the command with `error`.
    func fail(_ error: RESPError) { complete(.failure(error)) }
}

/// The replies of one pipelined batch, gathered on the connection's event loop and handed over in one go when the
/// last arrives: one promise and one wake-up per batch instead of one per command.
///
/// Created by the caller and then touched only on the event loop (by the channel handler, and by the write's failure
/// callback, which runs there too).
final class RESPBatchReplies: @unchecked Sendable {
    private var results: [Result<RESPValue, RESPError>?]
    private var remaining: Int
    /// Succeeds with every reply, in the order of the commands.
    let promise: EventLoopPromise<[Result<RESPValue, RESPError>]>

    init(count: Int, on loop: any EventLoop) {
        results = Array(repeating: nil, count: count)
        remaining = count
        promise = loop.makePromise()
    }

    /// Records the reply of command `index`; a second reply for it is ignored.
    func complete(_ index: Int, _ result: Result<RESPValue, RESPError>) {
        guard results[index] == nil else { return }
        results[index] = result
        remaining -= 1
        if remaining == 0 { promise.succeed(results.map { $0! }) }
    }

    /// Fails every command not answered yet.
    func failRemaining(_ error: RESPError) {
        for index in results.indices where results[index] == nil { complete(index, .failure(error)) }
    }
}
