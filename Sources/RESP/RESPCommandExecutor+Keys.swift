extension RESPCommandExecutor {
    /// `PING`: returns `PONG` (or `message`, echoed).
    public func ping(_ message: String? = nil) async throws -> String {
        try await send(["PING"] + (message.map { [$0] } ?? [])).expectString("PING")
    }

    /// `DEL`: deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    /// `DEL`: deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        Int(try await send(["DEL"] + keys).expectInt("DEL"))
    }

    /// `EXISTS`: how many of the keys exist (a key named twice counts twice).
    public func exists(_ keys: String...) async throws -> Int {
        Int(try await send(["EXISTS"] + keys).expectInt("EXISTS"))
    }

    /// `EXPIRE`: sets a time to live in seconds; returns whether the key exists.
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await send(["EXPIRE", key, String(seconds)]).expectInt("EXPIRE") == 1
    }

    /// `PEXPIRE`: sets a time to live in milliseconds; returns whether the key exists.
    @discardableResult
    public func pexpire(_ key: String, milliseconds: Int) async throws -> Bool {
        try await send(["PEXPIRE", key, String(milliseconds)]).expectInt("PEXPIRE") == 1
    }

    /// `TTL`: seconds left to live; -1 when the key has no expiry, -2 when it does not exist.
    public func ttl(_ key: String) async throws -> Int {
        Int(try await send(["TTL", key]).expectInt("TTL"))
    }

    /// `SCAN`: one step of key iteration; iterate until the returned cursor is 0.
    public func scan(cursor: UInt64 = 0, match pattern: String? = nil, count: Int? = nil) async throws -> (cursor: UInt64, keys: [String]) {
        var command = ["SCAN", String(cursor)]
        if let pattern { command += ["MATCH", pattern] }
        if let count { command += ["COUNT", String(count)] }
        let reply = try await send(command)
        let parts = try reply.expectArray("SCAN")
        guard parts.count == 2, let next = parts[0].string.flatMap({ UInt64($0) }) else {
            throw RESPError.unexpectedReply(reply, expected: "[cursor, keys] from SCAN")
        }
        return (next, try parts[1].expectStrings("SCAN"))
    }
}
