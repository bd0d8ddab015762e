import Testing

@testable import RESP

@Suite struct RESPCommandTests {
    @Test func stringCommands() async throws {
        let fake = FakeExecutor(.bulkString("v"), .bulkString(nil), .simpleString("OK"), .integer(3), .integer(10))
        #expect(try await fake.get("k") == "v")
        #expect(try await fake.get("missing") == nil)
        #expect(try await fake.set("k", to: "v", expiration: .milliseconds(1500), condition: .ifExists))
        #expect(try await fake.incr("n") == 3)
        #expect(try await fake.incrBy("n", 7) == 10)
        #expect(
            fake.sent == [["GET", "k"], ["GET", "missing"], ["SET", "k", "v", "PX", "1500", "XX"], ["INCR", "n"], ["INCRBY", "n", "7"]]
        )
    }

    @Test func keyCommands() async throws {
        let fake = FakeExecutor(
            .integer(2), .integer(1), .integer(1), .integer(0), .integer(-2), .simpleString("PONG"),
            .array([.bulkString("17"), .array([.bulkString("a"), .bulkString("b")])])
        )
        #expect(try await fake.del("a", "b") == 2)
        #expect(try await fake.exists("a") == 1)
        #expect(try await fake.expire("a", seconds: 5))
        #expect(try await fake.pexpire("a", milliseconds: 5) == false)
        #expect(try await fake.ttl("a") == -2)
        #expect(try await fake.ping() == "PONG")
        let page = try await fake.scan(cursor: 0, match: "s:*", count: 100)
        #expect(page.cursor == 17 && page.keys == ["a", "b"])
        #expect(fake.sent.last == ["SCAN", "0", "MATCH", "s:*", "COUNT", "100"])
    }

    @Test func hashCommandsAcceptRESP2AndRESP3Replies() async throws {
        let fake = FakeExecutor(
            .integer(2), .bulkString("1"), .array([.bulkString("f"), .bulkString("1")]), .map([.bulkString("f"): .bulkString("1")]), .integer(1)
        )
        #expect(try await fake.hset("h", fields: ["f": "1", "g": "2"]) == 2)
        #expect(try await fake.hget("h", field: "f") == "1")
        #expect(try await fake.hgetall("h") == ["f": "1"])
        #expect(try await fake.hgetall("h") == ["f": "1"])
        #expect(try await fake.hdel("h", fields: "f") == 1)
        #expect(fake.sent.first == ["HSET", "h", "f", "1", "g", "2"])
    }

    @Test func setAndSortedSetCommands() async throws {
        let fake = FakeExecutor(
            .integer(2), .set([.bulkString("a"), .bulkString("b")]), .integer(1), .integer(2),
            .array([.array([.bulkString("a"), .double(1.5)]), .array([.bulkString("b"), .double(2)])]),
            .array([.bulkString("a"), .bulkString("1.5")]), .array([.bulkString("a")]), .integer(1)
        )
        #expect(try await fake.sadd("s", members: "a", "b") == 2)
        #expect(try await fake.smembers("s") == ["a", "b"])
        #expect(try await fake.srem("s", members: "a") == 1)
        #expect(try await fake.zadd("z", members: [("a", 1.5), ("b", 2)]) == 2)
        let resp3 = try await fake.zrangeWithScores("z", start: 0, stop: -1)
        #expect(resp3.map(\.member) == ["a", "b"] && resp3.map(\.score) == [1.5, 2])
        let resp2 = try await fake.zrangeWithScores("z", start: 0, stop: 0)
        #expect(resp2.map(\.member) == ["a"] && resp2.map(\.score) == [1.5])
        #expect(try await fake.zrange("z", start: 0, stop: 0) == ["a"])
        #expect(try await fake.zrem("z", members: "a") == 1)
        #expect(fake.sent[3] == ["ZADD", "z", "1.5", "a", "2.0", "b"])
    }

    @Test func scriptsLoadThemselvesOnNoScript() async throws {
        let script = RESPScript("return 1")
        let fake = FakeExecutor([
            .failure(RESPError(code: .serverError, message: "NOSCRIPT No matching script.")),
            .success(.bulkString(script.sha1)),
            .success(.integer(1)),
        ])
        #expect(try await fake.run(script, keys: ["k"], arguments: ["a"]) == .integer(1))
        #expect(
            fake.sent == [
                ["EVALSHA", script.sha1, "1", "k", "a"], ["SCRIPT", "LOAD", "return 1"], ["EVALSHA", script.sha1, "1", "k", "a"],
            ]
        )
    }

    @Test func otherServerErrorsAreNotRetried() async throws {
        let fake = FakeExecutor([.failure(RESPError(code: .serverError, message: "ERR boom"))])
        await #expect(throws: RESPError(code: .serverError, message: "ERR boom")) { try await fake.run(RESPScript("x")) }
        #expect(fake.sent.count == 1)
    }

    @Test func unexpectedReplyShapesThrow() async throws {
        let fake = FakeExecutor(.integer(1))
        await #expect { try await fake.get("k") } throws: { ($0 as? RESPError)?.code == .unexpectedReply }
    }

    @Test func scriptsAreNamedByTheSHA1OfTheirSource() {
        #expect(RESPScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RESPScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            RESPScript("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1 == "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        )
    }

    @Test func configurationFromURL() throws {
        let full = try RESPConfiguration(url: "redis://user:p%40ss@cache.local:6390/3")
        #expect(full.host == "cache.local" && full.port == 6390 && full.database == 3)
        #expect(full.username == "user" && full.password == "p@ss")
        let bare = try RESPConfiguration(url: "redis://127.0.0.1")
        #expect(bare.port == 6379 && bare.database == 0 && bare.password == nil)
        let passwordOnly = try RESPConfiguration(url: "redis://:secret@h:1")
        #expect(passwordOnly.username == nil && passwordOnly.password == "secret")
        #expect(throws: RESPError.self) { try RESPConfiguration(url: "http://h") }
        #expect(throws: RESPError.self) { try RESPConfiguration(url: "redis://h/x") }
    }
}
