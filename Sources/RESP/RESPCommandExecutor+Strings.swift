/// How long a key set with `SET` lives.
public enum RESPExpiration: Sendable, Hashable {
    /// `EX seconds`.
    case seconds(Int)
    /// `PX milliseconds`.
    case milliseconds(Int)
}

/// When `SET` may write.
public enum RESPSetCondition: Sendable, Hashable {
    /// `NX`: only if the key does not exist.
    case ifNotExists
    /// `XX`: only if the key exists.
    case ifExists
}

extension RESPCommandExecutor {
    /// `GET`: the key's value, or `nil` when it does not exist.
    public func get(_ key: String) async throws -> String? {
        try await send(["GET", key]).expectOptionalString("GET")
    }

    /// `SET` with optional `EX`/`PX` and `NX`/`XX`; returns whether the value was written (false when the condition failed).
    @discardableResult
    public func set(_ key: String, to value: String, expiration: RESPExpiration? = nil, condition: RESPSetCondition? = nil) async throws -> Bool {
        var command = ["SET", key, value]
        switch expiration {
        case .seconds(let seconds): command += ["EX", String(seconds)]
        case .milliseconds(let milliseconds): command += ["PX", String(milliseconds)]
        case nil: break
        }
        switch condition {
        case .ifNotExists: command.append("NX")
        case .ifExists: command.append("XX")
        case nil: break
        }
        let reply = try await send(command)
        if reply.isNull { return false }
        guard reply.string == "OK" else { throw RESPError.unexpectedReply(reply, expected: "OK from SET") }
        return true
    }

    /// `INCR`: adds one to the integer at key (0 when missing) and returns the result.
    @discardableResult
    public func incr(_ key: String) async throws -> Int64 {
        try await send(["INCR", key]).expectInt("INCR")
    }

    /// `INCRBY`: adds `increment` to the integer at key (0 when missing) and returns the result.
    @discardableResult
    public func incrBy(_ key: String, _ increment: Int64) async throws -> Int64 {
        try await send(["INCRBY", key, String(increment)]).expectInt("INCRBY")
    }
}
