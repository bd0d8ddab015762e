import Synchronization

@testable import RESP

/// Records the commands typed helpers send and answers each from a script of replies.
final class FakeExecutor: RESPCommandExecutor {
    private let state: Mutex<(sent: [[String]], replies: [Result<RESPValue, RESPError>])>

    init(_ replies: [Result<RESPValue, RESPError>]) {
        state = Mutex((sent: [], replies: replies))
    }

    convenience init(_ replies: RESPValue...) {
        self.init(replies.map { .success($0) })
    }

    var sent: [[String]] { state.withLock { $0.sent } }

    func send(_ command: [String]) async throws -> RESPValue {
        let reply = state.withLock { state in
            state.sent.append(command)
            return state.replies.isEmpty
                ? Result.failure(RESPError(code: .connectionLost, message: "no reply scripted")) : state.replies.removeFirst()
        }
        return try reply.get()
    }
}
