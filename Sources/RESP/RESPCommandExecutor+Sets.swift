extension RESPCommandExecutor {
    /// `SADD`: adds members to a set; returns how many were new.
    @discardableResult
    public func sadd(_ key: String, members: String...) async throws -> Int {
        Int(try await send(["SADD", key] + members).expectInt("SADD"))
    }

    /// `SREM`: removes members from a set; returns how many were present.
    @discardableResult
    public func srem(_ key: String, members: String...) async throws -> Int {
        Int(try await send(["SREM", key] + members).expectInt("SREM"))
    }

    /// `SMEMBERS`: every member of a set.
    public func smembers(_ key: String) async throws -> Set<String> {
        Set(try await send(["SMEMBERS", key]).expectStrings("SMEMBERS"))
    }
}
