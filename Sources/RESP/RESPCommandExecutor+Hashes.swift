extension RESPCommandExecutor {
    /// `HGET`: one field of a hash, or `nil`.
    public func hget(_ key: String, field: String) async throws -> String? {
        try await send(["HGET", key, field]).expectOptionalString("HGET")
    }

    /// `HSET`: sets fields of a hash; returns how many fields were new.
    @discardableResult
    public func hset(_ key: String, fields: [String: String]) async throws -> Int {
        var command = ["HSET", key]
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) { command += [field, value] }
        return Int(try await send(command).expectInt("HSET"))
    }

    /// `HDEL`: removes fields from a hash; returns how many existed.
    @discardableResult
    public func hdel(_ key: String, fields: String...) async throws -> Int {
        Int(try await send(["HDEL", key] + fields).expectInt("HDEL"))
    }

    /// `HGETALL`: every field and value of a hash (empty when the key does not exist).
    public func hgetall(_ key: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        for (field, value) in try await send(["HGETALL", key]).expectPairs("HGETALL") {
            result[try field.expectString("HGETALL")] = try value.expectString("HGETALL")
        }
        return result
    }
}
