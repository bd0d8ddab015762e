import NIOCore

extension RESPConnection {
    /// Sends several commands in one write and returns each reply in order.
    ///
    /// A command the server refuses gets its own failure; the others still get their replies. Losing the
    /// connection fails every command not yet answered.
    public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, RESPError>] {
        try await Self.pipeline(commands, on: channel, timeout: commandTimeout)
    }

    static func pipeline(_ commands: [[String]], on channel: any Channel, timeout: TimeAmount?) async throws -> [Result<RESPValue, RESPError>] {
        guard !commands.isEmpty else { return [] }
        let loop = channel.eventLoop
        let replies = RESPBatchReplies(count: commands.count, on: loop)
        // One buffer, one write and one flush for the whole batch: that is what makes it a pipeline. Writes fail
        // only once the channel is gone, and then the write's promise answers every command not answered yet.
        let written = loop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            replies.failRemaining(error as? RESPError ?? RESPError(code: .connectionLost, message: "\(error)"))
        }
        channel.writeAndFlush(RESPRequest(batch: commands, replies: replies, timeout: timeout), promise: written)
        // One wake-up for the whole batch rather than one per reply.
        return try await replies.promise.futureResult.get()
    }
}

extension RESPClient {
    /// Sends several commands in one write on the next live connection; see ``RESPConnection/pipeline(_:)``.
    public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, RESPError>] {
        guard let connection = nextLiveConnection() else {
            throw RESPError(code: .connectionLost, message: "no connection to \(configuration.host):\(configuration.port) is available")
        }
        return try await connection.pipeline(commands)
    }
}
