import ClientSupport
import Foundation
import NIOCore
import RESP
import Testing

/// The Redis the integration tests use, e.g. `redis://127.0.0.1:6379/0`; unset skips them.
private let testRedisURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"]

/// Runs against a real Redis when `LASTMILE_TEST_REDIS_URL` is set.
@Suite(.enabled(if: testRedisURL != nil, "set LASTMILE_TEST_REDIS_URL to run against Redis"))
struct RESPIntegrationTests {
    private func configuration(_ version: RESPProtocolVersion = .resp3) throws -> RESPConfiguration {
        var configuration = try RESPConfiguration(url: testRedisURL!)
        configuration.protocolVersion = version
        return configuration
    }

    private func key(_ name: String) -> String { "resp-test:\(name):\(UUID().uuidString)" }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func setGetExpire(_ version: RESPProtocolVersion) async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(version))
        let key = key("string")
        #expect(try await connection.set(key, to: "value", expiration: .seconds(100)))
        #expect(try await connection.set(key, to: "other", condition: .ifNotExists) == false)
        #expect(try await connection.get(key) == "value")
        let ttl = try await connection.ttl(key)
        #expect(ttl > 0 && ttl <= 100)
        #expect(try await connection.pexpire(key, milliseconds: 50_000))
        #expect(try await connection.exists(key) == 1)
        #expect(try await connection.incrBy(key + ":n", 5) == 5)
        #expect(try await connection.del(key, key + ":n") == 2)
        #expect(try await connection.get(key) == nil)
        await connection.close()
    }

    @Test func helloThreeReportsTheServer() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(.resp3))
        guard case .map(let info) = connection.serverInfo else {
            Issue.record("HELLO 3 did not answer a map: \(String(describing: connection.serverInfo))")
            return
        }
        #expect(info[.bulkString("proto")] == .integer(3))
        #expect(try await connection.send(["CLIENT", "INFO"]).string?.contains("resp=3") == true)
        await connection.close()
    }

    @Test func pipelinesAThousandCommandsOnOneConnection() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration())
        let key = key("counter")
        let results = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<1_000 { group.addTask { try await connection.incr(key) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(results) == Set(1...1_000))
        #expect(try await connection.get(key) == "1000")
        try await connection.del(key)
        await connection.close()
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func collectionsAndScripts(_ version: RESPProtocolVersion) async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(version))
        let hash = key("hash")
        let set = key("set")
        let zset = key("zset")
        #expect(try await connection.hset(hash, fields: ["a": "1", "b": "2"]) == 2)
        #expect(try await connection.hget(hash, field: "a") == "1")
        #expect(try await connection.hgetall(hash) == ["a": "1", "b": "2"])
        #expect(try await connection.hdel(hash, fields: "a") == 1)
        #expect(try await connection.sadd(set, members: "x", "y") == 2)
        #expect(try await connection.smembers(set) == ["x", "y"])
        #expect(try await connection.srem(set, members: "x") == 1)
        #expect(try await connection.zadd(zset, members: [("low", 1), ("high", 2.5)]) == 2)
        #expect(try await connection.zrange(zset, start: 0, stop: -1) == ["low", "high"])
        let scored = try await connection.zrangeWithScores(zset, start: 0, stop: -1)
        #expect(scored.map(\.member) == ["low", "high"] && scored.map(\.score) == [1, 2.5])
        #expect(try await connection.zrem(zset, members: "low") == 1)
        #expect(try await connection.eval("return redis.call('HGET', KEYS[1], ARGV[1])", keys: [hash], arguments: ["b"]) == .bulkString("2"))
        // A script no server has seen (no SCRIPT FLUSH: other suites share the server), so `run` meets NOSCRIPT first.
        let script = RESPScript("-- \(UUID().uuidString)\nreturn tonumber(ARGV[1])")
        #expect(try await connection.run(script, arguments: ["41"]) == .integer(41))
        #expect(try await connection.evalsha(script.sha1, arguments: ["7"]) == .integer(7))
        #expect(try await connection.scriptLoad(script.source) == script.sha1)
        var cursor: UInt64 = 0
        var found: Set<String> = []
        repeat {
            let page = try await connection.scan(cursor: cursor, match: "resp-test:*", count: 1_000)
            found.formUnion(page.keys)
            cursor = page.cursor
        } while cursor != 0
        #expect(found.isSuperset(of: [hash, set, zset]))
        try await connection.del(hash, set, zset)
        await connection.close()
    }

    @Test func explicitPipelineAnswersInOrderAndKeepsPerCommandErrors() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration())
        let key = key("pipeline")
        var commands = (0..<500).map { ["SET", "\(key):\($0)", "v\($0)"] }
        commands.append(["INCR", "\(key):0"])
        commands += (0..<500).map { ["GET", "\(key):\($0)"] }
        let results = try await connection.pipeline(commands)
        #expect(results.count == 1_001)
        #expect(results[0..<500].allSatisfy { (try? $0.get())?.string == "OK" })
        guard case .failure(let error) = results[500] else {
            Issue.record("INCR of a non-number should fail alone")
            return
        }
        #expect(error.serverErrorPrefix == "ERR")
        #expect(results[501...].enumerated().allSatisfy { index, result in (try? result.get())?.string == "v\(index)" })
        #expect(try await connection.pipeline([[String]]()).isEmpty)
        #expect(try await connection.ping() == "PONG")
        _ = try await connection.pipeline((0..<500).map { ["DEL", "\(key):\($0)"] })
        await connection.close()
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func typedPipelineOfSetsAndGets(_ version: RESPProtocolVersion) async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(version))
        let key = key("typed")
        let sets = try await connection.pipeline((0..<300).map { RESPCommand.set("\(key):\($0)", to: "v\($0)") })
        #expect(sets.count == 300 && sets.allSatisfy { (try? $0.get()) == .simpleString("OK") })
        var batch = (0..<300).map { RESPCommand.get("\(key):\($0)") }
        batch.append(.get("\(key):missing"))
        batch.append(.incr("\(key):0"))
        let gets = try await connection.pipeline(batch)
        #expect(gets[0..<300].enumerated().allSatisfy { index, result in (try? result.get())?.string == "v\(index)" })
        #expect((try? gets[300].get())?.isNull == true)
        guard case .failure(let error) = gets[301] else {
            Issue.record("INCR of a non-number should fail alone")
            return
        }
        #expect(error.serverErrorPrefix == "ERR")
        #expect(try await connection.send(.set("\(key):x", to: "y", expiration: .seconds(100), condition: .ifNotExists)) == .simpleString("OK"))
        #expect(try await connection.send(.get("\(key):x")).string == "y")
        _ = try await connection.pipeline((0..<300).map { RESPCommand.del("\(key):\($0)") } + [.del("\(key):x")])
        await connection.close()
    }

    @Test func pipelinesOnTheConnectionsTaskExecutor() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration())
        let key = key("executor")
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask(executorPreference: connection.taskExecutor) {
                    var done = 0
                    for round in 0..<50 {
                        let replies = try await connection.pipeline((0..<16).map { RESPCommand.incr("\(key):\(worker):\(round % 4 + $0 % 2)") })
                        done += replies.count { if case .success = $0 { true } else { false } }
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == 4 * 50 * 16)
        let counts = try await connection.pipeline((0..<4).flatMap { worker in (0..<5).map { RESPCommand.get("\(key):\(worker):\($0)") } })
        #expect(counts.compactMap { (try? $0.get())?.int }.reduce(0, +) == Int64(total))
        _ = try await connection.pipeline((0..<4).flatMap { worker in (0..<5).map { RESPCommand.del("\(key):\(worker):\($0)") } })
        await connection.close()
    }

    @Test func serverErrorsCarryTheirText() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration())
        let key = key("wrongtype")
        try await connection.sadd(key, members: "m")
        await #expect { try await connection.incr(key) } throws: { ($0 as? RESPError)?.serverErrorPrefix == "WRONGTYPE" }
        #expect(try await connection.ping() == "PONG")
        try await connection.del(key)
        await connection.close()
    }

    @Test func timeoutFailsOnlyTheSlowCommand() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration())
        await #expect {
            try await connection.send(["BLPOP", key("empty"), "1"], timeout: .milliseconds(100))
        } throws: { ($0 as? RESPError)?.code == .timeout }
        // The late BLPOP reply is dropped; the next command still gets its own answer.
        #expect(try await connection.ping("after") == "after")
        await connection.close()
    }

    @Test func poolServesCommandsAndShutsDownGracefully() async throws {
        let client = RESPClient(configuration: try configuration(), connectionCount: 3)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await client.run() }
            var attempts = 0
            while client.liveConnectionCount < 3 && attempts < 1_000 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(client.liveConnectionCount == 3)
            let key = key("pool")
            try await withThrowingTaskGroup(of: Void.self) { senders in
                for _ in 0..<300 { senders.addTask { try await client.incr(key) } }
                try await senders.waitForAll()
            }
            #expect(try await client.get(key) == "300")
            try await client.del(key)
            // Cancellation stops run() the way graceful shutdown does (RESPTests does not depend on ServiceLifecycle).
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
        #expect(client.liveConnectionCount == 0)
        await #expect { try await client.ping() } throws: { ($0 as? RESPError)?.code == .connectionLost }
    }

    @Test func poolReconnectsAfterTheServerDropsItsConnections() async throws {
        let client = RESPClient(configuration: try configuration(), connectionCount: 1, backoff: .init(initial: .milliseconds(10)))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await client.run() }
            var id: Int64?
            var attempts = 0
            while id == nil && attempts < 1_000 {
                attempts += 1
                id = try? await client.send(["CLIENT", "ID"]).int
                if id == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            let killer = try await RESPConnection.connect(configuration: configuration())
            #expect(try await killer.send(["CLIENT", "KILL", "ID", String(id ?? -1)]) == .integer(1))
            attempts = 0
            while (try? await client.ping()) != "PONG" && attempts < 1_000 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await client.ping() == "PONG")
            #expect(try await client.send(["CLIENT", "ID"]).int != id, "a fresh connection, not the killed one")
            await killer.close()
            // Cancellation stops run() the way graceful shutdown does (RESPTests does not depend on ServiceLifecycle).
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
    }
}
