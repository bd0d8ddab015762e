import NIOCore

extension RESPConnection {
    /// Sends several commands in one write and returns each reply in order.
    ///
    /// A command the server refuses gets its own failure; the others still get their replies. Losing the
    /// connection fails every command not yet answered.
    nonisolated(nonsending) public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, RESPError>] {
        guard !commands.isEmpty else { return [] }
        let replies = RESPBatchReplies(count: commands.count)
        return await Self.write(RESPRequest(batch: commands, replies: replies, timeout: commandTimeout), replies, on: channel)
    }

    /// Sends several typed commands (see ``RESPCommand``) in one write and returns each reply in order.
    ///
    /// The fastest way to pipeline: each command encodes straight into the one outgoing buffer. Failures behave as
    /// with a `[[String]]` batch. The caller resumes on its own executor; in a task whose executor preference is
    /// ``taskExecutor``, a batch makes no thread hop at all.
    nonisolated(nonsending) public func pipeline(_ commands: [RESPCommand]) async throws -> [Result<RESPValue, RESPError>] {
        guard !commands.isEmpty else { return [] }
        let replies = RESPBatchReplies(count: commands.count)
        return await Self.write(RESPRequest(batch: commands, replies: replies, timeout: commandTimeout), replies, on: channel)
    }

    nonisolated(nonsending) private static func write(
        _ request: RESPRequest, _ replies: RESPBatchReplies, on channel: any Channel
    ) async -> [Result<RESPValue, RESPError>] {
        // One wake-up for the whole batch rather than one per reply, on the caller's own executor.
        await withUnsafeContinuation { continuation in
            replies.continuation = continuation
            // One buffer, one write and one flush for the whole batch: that is what makes it a pipeline. Writes fail
            // only once the channel is gone, and then the write's promise answers every command not answered yet.
            let written = channel.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { error in
                replies.failRemaining(error as? RESPError ?? RESPError(code: .connectionLost, message: "\(error)"))
            }
            channel.writeAndFlush(request, promise: written)
        }
    }
}

extension RESPClient {
    /// Sends several commands in one write on the next live connection; see `RESPConnection.pipeline(_:)`.
    nonisolated(nonsending) public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, RESPError>] {
        try await liveConnection().pipeline(commands)
    }

    /// Sends several typed commands in one write on the next live connection; see `RESPConnection.pipeline(_:)`.
    nonisolated(nonsending) public func pipeline(_ commands: [RESPCommand]) async throws -> [Result<RESPValue, RESPError>] {
        try await liveConnection().pipeline(commands)
    }

    /// Sends a typed command on the next live connection.
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        try await liveConnection().send(command)
    }

    private func liveConnection() throws(RESPError) -> RESPConnection {
        guard let connection = nextLiveConnection() else {
            throw RESPError(code: .connectionLost, message: "no connection to \(configuration.host):\(configuration.port) is available")
        }
        return connection
    }
}
