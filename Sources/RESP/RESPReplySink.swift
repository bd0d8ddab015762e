import NIOCore

/// Where replies go: a single command's own promise, or the collector of a pipelined batch's replies.
enum RESPReplySink {
    case single(EventLoopPromise<RESPValue>)
    case batch(RESPBatchReplies)

    /// Answers reply `index` (always 0 for a single command); a second answer is ignored.
    func complete(_ index: Int, _ result: Result<RESPValue, RESPError>) {
        switch self {
        case .single(let promise): promise.completeWith(result.mapError { $0 as any Error })
        case .batch(let replies): replies.complete(index, result)
        }
    }

    /// Answers the command, or every command of the batch not answered yet, with `error`.
    func fail(_ error: RESPError) {
        switch self {
        case .single(let promise): promise.fail(error)
        case .batch(let replies): replies.failRemaining(error)
        }
    }
}

/// The replies of one pipelined batch, gathered on the connection's event loop and handed over in one go when the
/// last arrives: one wake-up per batch instead of one per command.
///
/// Created by the caller, which sets ``continuation`` before the batch is written; from then on it is touched only on
/// the event loop (by the channel handler, and by the write's failure callback, which runs there too). Replies arrive
/// in the order of the commands, so they are appended; whatever is still missing when the batch fails gets the error.
final class RESPBatchReplies: @unchecked Sendable {
    private var results: [Result<RESPValue, RESPError>]
    /// How many replies the batch has.
    let count: Int
    /// Resumed once, with every reply in the order of the commands.
    var continuation: UnsafeContinuation<[Result<RESPValue, RESPError>], Never>?

    init(count: Int) {
        results = []
        results.reserveCapacity(count)
        self.count = count
    }

    /// Records the reply of command `index`; a reply for a command already answered is ignored.
    func complete(_ index: Int, _ result: Result<RESPValue, RESPError>) {
        guard index >= results.count, results.count < count else { return }
        while results.count < index {
            // Replies come in order, so this never runs; if it did, the skipped commands must still be answered.
            results.append(.failure(.protocolError("no reply was matched to this command")))
        }
        results.append(result)
        if results.count == count { finish() }
    }

    /// Fails every command not answered yet.
    func failRemaining(_ error: RESPError) {
        guard results.count < count else { return }
        while results.count < count { results.append(.failure(error)) }
        finish()
    }

    private func finish() {
        continuation?.resume(returning: results)
        continuation = nil
    }
}
