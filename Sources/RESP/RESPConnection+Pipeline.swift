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
        let promises = commands.map { _ in loop.makePromise(of: RESPValue.self) }
        // One hop to the event loop for the whole batch, and one flush: that is what makes it a pipeline.
        loop.execute {
            // Writes fail only once the channel is gone, and then all of them do: one write promise, on the
            // last write, answers every command not answered yet (a second completion of a promise is ignored).
            let written = loop.makePromise(of: Void.self)
            written.futureResult.whenFailure { error in
                let failure = error as? RESPError ?? RESPError(code: .connectionLost, message: "\(error)")
                for promise in promises { promise.fail(failure) }
            }
            for index in commands.indices {
                let request = RESPRequest(command: commands[index], promise: promises[index], timeout: timeout)
                channel.write(request, promise: index == commands.count - 1 ? written : nil)
            }
            channel.flush()
        }
        // One wake-up for the whole batch rather than one per reply.
        let outcomes = try await EventLoopFuture.whenAllComplete(promises.map(\.futureResult), on: loop).get()
        return outcomes.map { outcome in
            outcome.mapError { error in error as? RESPError ?? RESPError(code: .connectionLost, message: "\(error)") }
        }
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
