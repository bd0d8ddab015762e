import ClientSupport
import Foundation
import RESP
import Testing

/// Redis's TLS port, e.g. `rediss://default:pass@127.0.0.1:6380/0`; unset skips the TLS integration tests.
private let testRedisTLSURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_TLS_URL"]
/// The PEM file of the throwaway CA that signed the test servers' certificates (for localhost and 127.0.0.1).
private let testTLSCAFile = ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_CA_FILE"]

/// The client certificate and key the test CA signed, and a self-signed pair it did not: scripts/test's Redis checks
/// a client certificate against the test CA when one is presented.
private let trustedClientFiles = ["CLIENT_CERT", "CLIENT_KEY"].compactMap { ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_\($0)_FILE"] }
private let untrustedClientFiles = ["UNTRUSTED_CERT", "UNTRUSTED_KEY"].compactMap {
    ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_\($0)_FILE"]
}

/// Runs against a real Redis with TLS when `LASTMILE_TEST_REDIS_TLS_URL` and `LASTMILE_TEST_TLS_CA_FILE` are set.
@Suite(
    .enabled(if: testRedisTLSURL != nil && testTLSCAFile != nil, "set LASTMILE_TEST_REDIS_TLS_URL and LASTMILE_TEST_TLS_CA_FILE"),
    .timeLimit(.minutes(1)))
struct RESPTLSIntegrationTests {
    /// `client` is a certificate file and its key file, or empty.
    private func configuration(_ version: RESPProtocolVersion = .resp3, caFile: String? = testTLSCAFile, client: [String] = []) throws
        -> RESPConfiguration
    {
        var configuration = try RESPConfiguration(
            url: testRedisTLSURL!, tlsCAFile: caFile, tlsCertificateFile: client.first, tlsKeyFile: client.dropFirst().first)
        configuration.protocolVersion = version
        configuration.connectTimeout = .seconds(5)
        return configuration
    }

    /// Connects with `configuration`, which must fail: returns the error. A verification failure must come back as
    /// itself, never as the connect timeout's error: that is how a test tells "refused at once" from "hung".
    private func failure(connecting configuration: RESPConfiguration) async -> RESPError? {
        do {
            let connection = try await RESPConnection.connect(configuration: configuration)
            await connection.close()
            Issue.record("connected, but should not have")
            return nil
        } catch {
            return error as? RESPError
        }
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func setAndGetOverTLS(_ version: RESPProtocolVersion) async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(version))
        let key = "resp-tls-test:\(UUID().uuidString)"
        #expect(try await connection.set(key, to: "secret value", expiration: .seconds(60)))
        #expect(try await connection.get(key) == "secret value")
        let big = String(repeating: "x", count: 200_000)
        #expect(try await connection.set(key, to: big))
        #expect(try await connection.get(key) == big, "a value spanning many TLS records")
        #expect(try await connection.del(key) == 1)
        await connection.close()
    }

    @Test func aHostNameInTheCertificateIsSentWithSNIAndVerified() async throws {
        var configuration = try configuration()
        configuration.host = "localhost"
        let connection = try await RESPConnection.connect(configuration: configuration)
        #expect(try await connection.ping() == "PONG")
        await connection.close()
    }

    @Test(.enabled(if: trustedClientFiles.count == 2)) func aClientCertificateTheServerTrustsIsAccepted() async throws {
        let connection = try await RESPConnection.connect(configuration: configuration(client: trustedClientFiles))
        let key = "resp-tls-test:\(UUID().uuidString)"
        #expect(try await connection.set(key, to: "with a client certificate", expiration: .seconds(60)))
        #expect(try await connection.get(key) == "with a client certificate")
        await connection.close()
    }

    /// The refusal proves the certificate is sent: without one this server lets the client in.
    @Test(.enabled(if: untrustedClientFiles.count == 2)) func aClientCertificateTheServerDoesNotTrustIsRefused() async throws {
        let error = await failure(connecting: try configuration(client: untrustedClientFiles))
        #expect(error?.code == .connectionLost)
        #expect(error?.message.hasPrefix("the server refused the client certificate (") == true, "\(String(describing: error))")
    }

    @Test func theSystemTrustRootsRejectThePrivateCA() async throws {
        let error = await failure(connecting: try configuration(caFile: nil))
        #expect(error?.code == .connectionLost)
        #expect(error?.message.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: error))")
        #expect(error?.message.contains("TLS handshake with") == true)
    }

    @Test func anotherCAIsRejected() async throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = await failure(connecting: try configuration(caFile: path))
        #expect(error?.message.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: error))")
    }

    /// scripts/test's servers also listen on 127.0.0.2, which the certificate does not name. (NIOSSL accepts a
    /// certificate that names the address connected to whatever the server name, so 127.0.0.1 cannot show this.)
    @Test(arguments: ["redis.invalid", nil])
    func aNameNotInTheCertificateIsRejected(serverName: String?) async throws {
        var configuration = try configuration()
        configuration.host = "127.0.0.2"
        configuration.tls?.serverName = serverName
        let error = await failure(connecting: configuration)
        // A server of someone else's may not listen there: nothing to check then.
        guard error?.message.hasPrefix("cannot connect to") != true else { return }
        #expect(error?.code == .connectionLost)
        #expect(error?.message.contains("is not valid for") == true, "\(String(describing: error))")
        #expect(error?.message.contains(serverName ?? "127.0.0.2") == true)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"] != nil))
    func aSilentHandshakeEndsAtTheConnectTimeout() async throws {
        // Redis's plain port takes the ClientHello for the start of an inline command and waits for the rest of it.
        let plain = try RESPConfiguration(url: ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"]!)
        var configuration = try configuration()
        configuration.port = plain.port
        configuration.connectTimeout = .milliseconds(500)
        let error = await failure(connecting: configuration)
        #expect(error?.code == .timeout, "\(String(describing: error))")
        #expect(error?.message.contains("TLS handshake with") == true)
    }

    @Test func poolConnectsOverTLSAndKeepsRetryingWhenVerificationFails() async throws {
        let good = RESPClient(configuration: try configuration(), connectionCount: 2)
        let bad = RESPClient(configuration: try configuration(caFile: nil), connectionCount: 1, backoff: .init(initial: .milliseconds(20)))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await good.run() }
            tasks.addTask { try await bad.run() }
            var attempts = 0
            while good.liveConnectionCount < 2 && attempts < 500 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await good.ping() == "PONG")
            #expect(bad.liveConnectionCount == 0)
            await #expect { try await bad.ping() } throws: { ($0 as? RESPError)?.code == .connectionLost }
            // Cancellation stops run() the way graceful shutdown does (RESPTests does not depend on ServiceLifecycle).
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
    }

    @Test func poolReconnectsOverTLSAfterTheServerDropsItsConnection() async throws {
        let client = RESPClient(configuration: try configuration(), connectionCount: 1, backoff: .init(initial: .milliseconds(10)))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await client.run() }
            var id: Int64?
            var attempts = 0
            while id == nil && attempts < 500 {
                attempts += 1
                id = try? await client.send(["CLIENT", "ID"]).int
                if id == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            let killer = try await RESPConnection.connect(configuration: configuration())
            #expect(try await killer.send(["CLIENT", "KILL", "ID", String(id ?? -1)]) == .integer(1))
            attempts = 0
            while (try? await client.ping()) != "PONG" && attempts < 500 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await client.send(["CLIENT", "ID"]).int != id, "a fresh TLS connection, not the killed one")
            await killer.close()
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
    }
}
