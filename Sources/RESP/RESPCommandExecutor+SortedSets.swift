extension RESPCommandExecutor {
    /// `ZADD`: adds members with scores to a sorted set (or updates their scores); returns how many were new.
    @discardableResult
    public func zadd(_ key: String, members: [(member: String, score: Double)]) async throws -> Int {
        var command = ["ZADD", key]
        for (member, score) in members { command += [Self.scoreText(score), member] }
        return Int(try await send(command).expectInt("ZADD"))
    }

    /// `ZREM`: removes members from a sorted set; returns how many were present.
    @discardableResult
    public func zrem(_ key: String, members: String...) async throws -> Int {
        Int(try await send(["ZREM", key] + members).expectInt("ZREM"))
    }

    /// `ZRANGE key start stop`: members by rank, lowest score first (negative indexes count from the end).
    public func zrange(_ key: String, start: Int, stop: Int) async throws -> [String] {
        try await send(["ZRANGE", key, String(start), String(stop)]).expectStrings("ZRANGE")
    }

    /// `ZRANGE key start stop WITHSCORES`: members and their scores by rank.
    public func zrangeWithScores(_ key: String, start: Int, stop: Int) async throws -> [(member: String, score: Double)] {
        let reply = try await send(["ZRANGE", key, String(start), String(stop), "WITHSCORES"])
        let values = try reply.expectArray("ZRANGE")
        // RESP3 answers [[member, score], …]; RESP2 a flat [member, score, …].
        let pairs: [(RESPValue, RESPValue)]
        if values.allSatisfy({ $0.array?.count == 2 }) && !values.isEmpty {
            pairs = values.map { ($0.array![0], $0.array![1]) }
        } else {
            pairs = try reply.expectPairs("ZRANGE")
        }
        return try pairs.map { member, score throws(RESPError) in
            guard let value = score.double else { throw RESPError.unexpectedReply(score, expected: "a score from ZRANGE") }
            return (try member.expectString("ZRANGE"), value)
        }
    }

    private static func scoreText(_ score: Double) -> String {
        if score == .infinity { return "+inf" }
        if score == -.infinity { return "-inf" }
        return "\(score)"
    }
}
