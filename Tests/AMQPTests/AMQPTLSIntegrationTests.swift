import AMQP
import ClientSupport
import Foundation
import NIOCore
import Testing

/// The broker's TLS listener, e.g. `amqps://user:pass@127.0.0.1:5671/vhost`; unset skips the TLS integration tests.
private let testAMQPTLSURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_TLS_URL"]
/// The PEM file of the throwaway CA that signed the test servers' certificates (for localhost and 127.0.0.1).
private let testTLSCAFile = ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_CA_FILE"]

/// The client certificate and key the test CA signed, and a self-signed pair it did not: scripts/test's broker checks
/// a client certificate against the test CA when one is presented.
private let trustedClientFiles = ["CLIENT_CERT", "CLIENT_KEY"].compactMap { ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_\($0)_FILE"] }
private let untrustedClientFiles = ["UNTRUSTED_CERT", "UNTRUSTED_KEY"].compactMap {
    ProcessInfo.processInfo.environment["LASTMILE_TEST_TLS_\($0)_FILE"]
}

/// Runs against a real RabbitMQ over TLS when `LASTMILE_TEST_AMQP_TLS_URL` and `LASTMILE_TEST_TLS_CA_FILE` are set.
@Suite(
    .enabled(if: testAMQPTLSURL != nil && testTLSCAFile != nil, "set LASTMILE_TEST_AMQP_TLS_URL and LASTMILE_TEST_TLS_CA_FILE"),
    .timeLimit(.minutes(1)))
struct AMQPTLSIntegrationTests {
    /// `client` is a certificate file and its key file, or empty.
    private func configuration(caFile: String? = testTLSCAFile, client: [String] = []) throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(
            url: testAMQPTLSURL!, tlsCAFile: caFile, tlsCertificateFile: client.first, tlsKeyFile: client.dropFirst().first)
        configuration.connectTimeout = .seconds(5)
        return configuration
    }

    /// Connects with `configuration`, which must fail: returns the error. A verification failure must come back as
    /// itself, never as the connect timeout's error: that is how a test tells "refused at once" from "hung".
    private func failure(connecting configuration: AMQPConfiguration) async -> AMQPError? {
        do {
            let connection = try await AMQPConnection.connect(configuration: configuration)
            await connection.close()
            Issue.record("connected, but should not have")
            return nil
        } catch {
            return error as? AMQPError
        }
    }

    @Test func publishWithConfirmsAndConsumeOverTLS() async throws {
        let connection = try await AMQPConnection.connect(configuration: configuration())
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true)
        try await channel.confirmSelect()
        let large = ByteBuffer(repeating: 0x62, count: 300_000)
        try await channel.basicPublish("over TLS", exchange: "", routingKey: queue.name)
        try await channel.basicPublish(large, exchange: "", routingKey: queue.name)
        var deliveries = try await channel.basicConsume(queue: queue.name).makeAsyncIterator()
        let first = try #require(try await deliveries.next())
        #expect(String(buffer: first.body) == "over TLS")
        try await first.ack()
        let second = try #require(try await deliveries.next())
        #expect(second.body == large, "a body spanning many frames and TLS records")
        try await second.ack()
        await connection.close()
        #expect(await connection.waitUntilClosed() == nil, "a graceful close over TLS reports no error")
    }

    @Test func aHostNameInTheCertificateIsSentWithSNIAndVerified() async throws {
        var configuration = try configuration()
        configuration.host = "localhost"
        let connection = try await AMQPConnection.connect(configuration: configuration)
        #expect(connection.isOpen)
        await connection.close()
    }

    @Test func theClientServiceConnectsPublishesAndConsumesOverTLS() async throws {
        let client = AMQPClient(configuration: try configuration(), backoff: Backoff(initial: .milliseconds(50)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            #expect(try await client.waitForConnection() != nil)
            let queue = "amqp-tls-test.\(UUID().uuidString.prefix(8))"
            try await client.queueDeclare(queue, autoDelete: true)
            try await client.publish(ByteBuffer(string: "confirmed"), exchange: "", routingKey: queue, mandatory: true)
            var deliveries = client.consume(queue: queue, prefetch: 1).makeAsyncIterator()
            let delivery = try #require(try await deliveries.next())
            #expect(String(buffer: delivery.body) == "confirmed")
            try await delivery.ack()
            group.cancelAll()
        }
    }

    @Test(.enabled(if: trustedClientFiles.count == 2)) func aClientCertificateTheServerTrustsIsAccepted() async throws {
        let connection = try await AMQPConnection.connect(configuration: configuration(client: trustedClientFiles))
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true)
        #expect(queue.messageCount == 0)
        await connection.close()
    }

    /// The refusal proves the certificate is sent: without one this broker lets the client in.
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
    @Test(arguments: ["rabbit.invalid", nil])
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

    @Test(.enabled(if: testAMQPURL != nil))
    func thePlainPortDoesNotSpeakTLS() async throws {
        let plain = try AMQPConfiguration(url: testAMQPURL!)
        var configuration = try configuration()
        configuration.port = plain.port
        let error = await failure(connecting: configuration)
        #expect(error?.code == .connectionLost)
        #expect(error?.message.contains("TLS handshake with") == true, "\(String(describing: error))")
    }

    @Test func theClientServiceKeepsRetryingWhileVerificationFails() async throws {
        let client = AMQPClient(
            configuration: try configuration(caFile: nil), backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            try await Task.sleep(for: .milliseconds(500))
            #expect(!client.isConnected)
            await #expect { try await client.publish(ByteBuffer(string: "x"), exchange: "", routingKey: "nowhere") } throws: {
                ($0 as? AMQPError)?.code == .connectionLost
            }
            group.cancelAll()
        }
    }
}
