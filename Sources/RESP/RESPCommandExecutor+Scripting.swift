extension RESPCommandExecutor {
    /// `EVAL`: runs a Lua script given as source.
    public func eval(_ script: String, keys: [String] = [], arguments: [String] = []) async throws -> RESPValue {
        try await send(["EVAL", script, String(keys.count)] + keys + arguments)
    }

    /// `EVALSHA`: runs a script the server already has; throws a server error with prefix `NOSCRIPT` when it lacks it.
    public func evalsha(_ sha1: String, keys: [String] = [], arguments: [String] = []) async throws -> RESPValue {
        try await send(["EVALSHA", sha1, String(keys.count)] + keys + arguments)
    }

    /// `SCRIPT LOAD`: stores a script on the server and returns its SHA-1.
    @discardableResult
    public func scriptLoad(_ script: String) async throws -> String {
        try await send(["SCRIPT", "LOAD", script]).expectString("SCRIPT LOAD")
    }

    /// Runs `script` with `EVALSHA`; when the server answers `NOSCRIPT` (restarted, flushed, or a new replica), loads it and retries.
    public func run(_ script: RESPScript, keys: [String] = [], arguments: [String] = []) async throws -> RESPValue {
        do {
            return try await evalsha(script.sha1, keys: keys, arguments: arguments)
        } catch let error as RESPError where error.serverErrorPrefix == "NOSCRIPT" {
            try await scriptLoad(script.source)
            return try await evalsha(script.sha1, keys: keys, arguments: arguments)
        }
    }
}
