import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import ServerKit
import Testing

@Suite struct RequestIDAndLogTests {
    @Test(arguments: ["abc-123", "A.b_C-9", String(repeating: "x", count: 128)])
    func acceptableIDsPassThrough(id: String) async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/id", access: .anonymous, class: .api) { _, context -> String in context.requestID }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/id", method: .get, headers: [.xRequestID: id])
            #expect(response.headers[.xRequestID] == id)
            #expect(response.text == id)
        }
    }

    @Test(arguments: ["", "has space", "semi;colon", String(repeating: "x", count: 129), "<script>", "ünïcode"])
    func unacceptableIDsAreReplaced(id: String) async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/id", access: .anonymous, class: .api) { _, context -> String in context.requestID }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/id", method: .get, headers: [.xRequestID: id])
            let echoed = try #require(response.headers[.xRequestID])
            #expect(echoed != id)
            #expect(RequestIDMiddleware.isAcceptable(echoed))
            #expect(echoed.count == 32)
            #expect(response.text == echoed)
        }
    }

    @Test func generatedIDsAreDistinctLowercaseHex() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/id", access: .anonymous, class: .api) { _, context -> String in context.requestID }
        }
        try await server.application().test(.router) { client in
            var seen = Set<String>()
            for _ in 0..<200 {
                let response = try await client.execute(uri: "/id", method: .get)
                let id = try #require(response.headers[.xRequestID])
                #expect(id.wholeMatch(of: /[0-9a-f]{32}/) != nil)
                seen.insert(id)
            }
            #expect(seen.count == 200)
        }
    }

    @Test func generatedIDsDifferAndReachErrors() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/fail", access: .anonymous, class: .api) { _, _ -> String in throw SecretError() }
        }
        try await server.application().test(.router) { client in
            let first = try await client.execute(uri: "/fail", method: .get)
            let second = try await client.execute(uri: "/missing", method: .get)
            let firstID = try #require(first.headers[.xRequestID])
            let secondID = try #require(second.headers[.xRequestID])
            #expect(firstID != secondID)
            #expect(try first.problem().requestId == firstID)
            #expect(try second.problem().requestId == secondID)
        }
    }

    @Test func errorLogCarriesRequestIDWithoutLeakingToTheClient() async throws {
        let recorder = LogRecorder()
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/fail", access: .anonymous, class: .api) { _, _ -> String in throw SecretError() }
        }
        try await server.application(logger: recorder.logger()).test(.router) { client in
            _ = try await client.execute(uri: "/fail", method: .get, headers: [.xRequestID: "trace-me"])
        }
        let errors = recorder.recorded.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["request_id"] == "trace-me")
        #expect(errors.first?.metadata["error.message"]?.contains("hunter2") == true)
    }

    @Test func accessLogHasOneSafeLinePerRequest() async throws {
        let recorder = LogRecorder()
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/me", access: .permission(.ownAccount), class: .api) { _, _ -> String in "ok" }
        }
        try await server.application(logger: recorder.logger()).test(.router) { client in
            var headers = bearer("customer-token")
            headers[.xRequestID] = "log-1"
            headers[.cookie] = "lm_access=cookie-secret"
            headers[HTTPField.Name("X-Test-Client-IP")!] = "203.0.113.9"
            _ = try await client.execute(uri: "/me?reset_token=query-secret", method: .get, headers: headers)
            _ = try await client.execute(uri: "/me", method: .get, headers: [.xRequestID: "log-2"])
        }
        let access = recorder.recorded.filter { $0.message == "request" }
        #expect(access.count == 2)
        let first = try #require(access.first { $0.metadata["request_id"] == "log-1" })
        #expect(first.level == .info)
        #expect(first.metadata["http.method"] == "GET")
        #expect(first.metadata["http.path"] == "/me")
        #expect(first.metadata["http.status"] == "200")
        #expect(first.metadata["client_ip"] == "203.0.113.9")
        #expect(first.metadata["user_id"] == "u-customer")
        #expect(first.metadata["duration_ms"] != nil)
        let second = try #require(access.first { $0.metadata["request_id"] == "log-2" })
        #expect(second.metadata["http.status"] == "401")
        #expect(second.metadata["user_id"] == nil)
        let everything = recorder.recorded.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        for secret in ["customer-token", "cookie-secret", "query-secret"] {
            #expect(!everything.contains(secret))
        }
    }
}

/// The W3C trace context of a request: continued from a valid `traceparent`, started afresh otherwise, answered in
/// `traceresponse`, and in every log line as `trace_id`.
@Suite struct TraceContextMiddlewareTests {
    static let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    static func server() -> TestServer {
        TestServer(rateLimits: unlimited) { router in
            router.get("/trace", access: .anonymous, class: .api) { _, _ -> String in RequestMetadata.traceparent?.header ?? "none" }
        }
    }

    @Test func aValidTraceparentIsContinuedUnderANewSpan() async throws {
        try await Self.server().application().test(.router) { client in
            let response = try await client.execute(uri: "/trace", method: .get, headers: [.traceparent: Self.incoming])
            let seen = try #require(TraceParent(header: response.text))
            #expect(seen.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(seen.isSampled)
            #expect(seen.parentIDText != "00f067aa0ba902b7")
            #expect(response.headers[.traceresponse] == seen.header)
        }
    }

    @Test(arguments: [
        "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ])
    func anInvalidOrMissingTraceparentStartsANewTrace(header: String) async throws {
        try await Self.server().application().test(.router) { client in
            let given = try await client.execute(uri: "/trace", method: .get, headers: [.traceparent: header])
            let none = try await client.execute(uri: "/trace", method: .get)
            let first = try #require(TraceParent(header: given.text))
            let second = try #require(TraceParent(header: none.text))
            #expect(first.traceID != "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(first.traceID != second.traceID)
            #expect(given.headers[.traceresponse] == first.header)
        }
    }

    @Test func tracestateTravelsOnlyWithTheTraceparentItCameWith() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/state", access: .anonymous, class: .api) { _, _ -> String in RequestMetadata.tracestate ?? "none" }
        }
        try await server.application().test(.router) { client in
            let kept = try await client.execute(
                uri: "/state", method: .get, headers: [.traceparent: Self.incoming, .tracestate: "vendor=opaque"])
            #expect(kept.text == "vendor=opaque")
            let orphan = try await client.execute(uri: "/state", method: .get, headers: [.traceparent: "garbage", .tracestate: "vendor=opaque"])
            #expect(orphan.text == "none")
            let tooLong = try await client.execute(
                uri: "/state", method: .get, headers: [.traceparent: Self.incoming, .tracestate: String(repeating: "x", count: 513)])
            #expect(tooLong.text == "none")
        }
    }

    @Test func everyLogLineOfTheRequestCarriesItsTraceID() async throws {
        let recorder = LogRecorder()
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/fail", access: .anonymous, class: .api) { _, _ -> String in throw SecretError() }
        }
        try await server.application(logger: recorder.logger()).test(.router) { client in
            _ = try await client.execute(uri: "/fail", method: .get, headers: [.xRequestID: "trace-log", .traceparent: Self.incoming])
        }
        let lines = recorder.recorded.filter { $0.metadata["request_id"] == "trace-log" }
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { $0.metadata["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736" })
    }
}
