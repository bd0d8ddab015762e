import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServerKit
import Testing

@Suite("Buffered log output")
struct BufferedLogTests {
    @Test func infoWaitsInTheBufferAndAWarningWritesEverythingInOrder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let output = BufferedLogOutput(fileDescriptor: fd, interval: 3600)
        let provider = Logger.MetadataProvider { ["request_id": "req-7"] }
        var logger = Logger(label: "test") { BufferedLogHandler(label: $0, output: output, metadataProvider: provider) }
        logger[metadataKey: "zone"] = "a"
        logger.info("first", metadata: ["b": "2"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
        logger.warning("second")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains(" info test: b=2 request_id=req-7 zone=a [ServerKitTests] first"))
        #expect(lines[1].contains(" warning test: request_id=req-7 zone=a [ServerKitTests] second"))
        logger.info("third")
        output.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("third\n"))
    }
}

@Suite("Access log through the buffered handler")
struct BufferedAccessLogTests {
    /// A logger writing to a temporary file through `BufferedLogHandler`, with the request-id provider.
    final class FileLog: Sendable {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString)").path
        let fd: Int32
        let output: BufferedLogOutput

        init() {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            output = BufferedLogOutput(fileDescriptor: fd, interval: 3600)
        }

        deinit {
            close(fd)
            unlink(path)
        }

        func logger() -> Logger {
            Logger(label: "gateway") { BufferedLogHandler(label: $0, output: self.output, metadataProvider: RequestMetadata.provider) }
        }

        func lines() throws -> [String] {
            output.flush()
            return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    @Test func oneLinePerRequestWithTheFieldsSortedAndNoSecrets() async throws {
        let log = FileLog()
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/me", access: .permission(.ownAccount), class: .api) { _, _ -> String in "ok" }
        }
        try await server.application(logger: log.logger()).test(.router) { client in
            var headers = bearer("customer-token")
            headers[.xRequestID] = "log-1"
            headers[.cookie] = "lm_access=cookie-secret"
            headers[HTTPField.Name("X-Test-Client-IP")!] = "203.0.113.9"
            _ = try await client.execute(uri: "/me?reset_token=query-secret", method: .get, headers: headers)
            _ = try await client.execute(uri: "/me", method: .get, headers: [.xRequestID: "log-2"])
        }
        let access = try log.lines().filter { $0.hasSuffix(" [ServerKit] request") }
        #expect(access.count == 2)
        let first = try #require(access.first { $0.contains("request_id=log-1") })
        let fields = first.split(separator: " ").dropFirst(3).dropLast(2).map(String.init)
        #expect(first.contains(" info gateway: "))
        #expect(fields == fields.sorted())
        let keys = fields.map { String($0.prefix { $0 != "=" }) }
        #expect(keys.filter { $0 == "user_id" }.count == 1)
        #expect(keys.filter { $0 == "request_id" }.count == 1)
        for expected in ["client_ip=203.0.113.9", "http.method=GET", "http.path=/me", "http.status=200", "request_id=log-1", "user_id=u-customer"] {
            #expect(fields.contains(expected), "\(expected) in \(first)")
        }
        let duration = try #require(fields.first { $0.hasPrefix("duration_ms=") }?.dropFirst("duration_ms=".count))
        #expect(duration.wholeMatch(of: /[0-9]+\.[0-9]{3}/) != nil)
        let second = try #require(access.first { $0.contains("request_id=log-2") })
        #expect(second.contains(" http.status=401 "))
        #expect(!second.contains("user_id="))
        for secret in ["customer-token", "cookie-secret", "query-secret"] {
            #expect(!access.joined().contains(secret))
        }
    }

    @Test func theAccessLineReadsLikeAnyOtherLineWithTheSameMetadata() async throws {
        let log = FileLog()
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/plain", access: .anonymous, class: .api) { _, context -> String in
                // The same fields through the generic path, for comparison.
                context.logger.info(
                    "request",
                    metadata: [
                        "http.method": "GET", "http.path": "/plain", "http.status": "200", "duration_ms": "0.000",
                        "client_ip": .string(context.clientIP),
                    ])
                return "ok"
            }
        }
        try await server.application(logger: log.logger()).test(.router) { client in
            _ = try await client.execute(uri: "/plain", method: .get, headers: [.xRequestID: "same-1"])
        }
        let lines = try log.lines().filter { $0.hasSuffix(" request") }
        #expect(lines.count == 2)
        let masked = lines.map { line in
            // The time, the duration and the source module (this test's, or ServerKit's) differ; the rest must not.
            line.split(separator: " ").dropFirst().map { field in
                if field.hasPrefix("duration_ms=") { return "duration_ms=*" }
                if field.hasPrefix("[") && field.hasSuffix("]") { return "[source]" }
                return String(field)
            }.joined(separator: " ")
        }
        #expect(masked[0] == masked[1])
    }
}
