import Foundation
import Testing

@testable import AMQP

/// A self-signed CA that signed nothing the tests connect to: a valid PEM file for parsing, and the wrong CA for a server.
let unrelatedCAPEM = """
    -----BEGIN CERTIFICATE-----
    MIIBsDCCAVegAwIBAgIUIxz+RJEfKczG8NBFNGrFuSIIYm4wCgYIKoZIzj0EAwIw
    JTEjMCEGA1UEAwwaTGFzdE1pbGUgdW5yZWxhdGVkIHRlc3QgQ0EwIBcNMjYxMTI3
    MTI0MzAxWhgPMjEyNjExMDMxMjQzMDFaMCUxIzAhBgNVBAMMGkxhc3RNaWxlIHVu
    cmVsYXRlZCB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEXyNvuGcV
    8fnhiaSzWFEPwcOHAyb01pxszN7bb+cgGj+G8p+XpIJDNRns+WH/zYeYvYTuNA/l
    EeNtLhfBL0PNN6NjMGEwHQYDVR0OBBYEFP0an4ZQzWUd0yUDOPv7q+dkE9XkMB8G
    A1UdIwQYMBaAFP0an4ZQzWUd0yUDOPv7q+dkE9XkMA8GA1UdEwEB/wQFMAMBAf8w
    DgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0cAMEQCIE5whSSL2pvWDRTZxrcS
    uipz18lvGup1bWrk52hMJpcHAiAMqMqWqfLKrZPkhSfgHP0aFxSG7XbYHk1mBxlO
    SA07uw==
    -----END CERTIFICATE-----

    """

/// Writes `contents` to a file of its own in the temporary directory and returns its path.
func temporaryFile(_ contents: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("amqp-tls-\(UUID().uuidString).pem").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// URL parsing and TLS settings, with no server.
@Suite struct AMQPTLSConfigurationTests {
    @Test func amqpsTurnsTLSOnWithPort5671() throws {
        let configuration = try AMQPConfiguration(url: "amqps://user:pass@broker.example/events?heartbeat=20")
        #expect(configuration.port == 5671)
        #expect(configuration.username == "user" && configuration.virtualHost == "events" && configuration.tuning.heartbeat == 20)
        let tls = try #require(configuration.tls)
        #expect(tls == (try AMQPTLSConfiguration()), "verified against the system's trust roots")
        #expect(tls.serverHostname(connectingTo: configuration.host) == "broker.example")
        #expect(try AMQPConfiguration(url: "amqps://broker.example:5673").port == 5673)
        #expect(try AMQPConfiguration(url: "amqp://broker.example").port == 5672)
        #expect(try AMQPConfiguration(url: "amqp://broker.example").tls == nil)
    }

    @Test func ipAddressesAreVerifiedButNotSentAsServerNames() throws {
        let tls = try #require(try AMQPConfiguration(url: "amqps://127.0.0.1").tls)
        #expect(tls.serverHostname(connectingTo: "127.0.0.1") == nil)
        #expect(tls.serverHostname(connectingTo: "::1") == nil)
        var named = tls
        named.serverName = "rabbit.internal"
        #expect(named.serverHostname(connectingTo: "127.0.0.1") == "rabbit.internal")
    }

    @Test func theQueryNamesTheCAFileAndServerNameAsRabbitMQsURIsDo() throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try AMQPConfiguration(url: "amqps://h?cacertfile=\(path)&server_name_indication=rabbit.internal&auth_mechanism=plain")
        #expect(configuration.tls == (try AMQPTLSConfiguration(caFile: path, serverName: "rabbit.internal")))
        #expect(configuration.tls?.serverHostname(connectingTo: "h") == "rabbit.internal")
    }

    @Test func aCAFileBecomesTheOnlyTrustRoot() throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try AMQPConfiguration(url: "amqps://broker.example", tlsCAFile: path)
        #expect(configuration.tls == (try AMQPTLSConfiguration(caFile: path)))
        #expect(configuration == (try AMQPConfiguration(url: "amqps://broker.example", tlsCAFile: path)))
        #expect(configuration != (try AMQPConfiguration(url: "amqps://broker.example")), "not the system's trust roots")
    }

    @Test func unusableTLSFilesAreRefusedWithTheirPath() throws {
        let notPEM = try temporaryFile("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        let missing = "/nonexistent/\(UUID().uuidString)/ca.pem"
        for (file, words) in [(missing, "does not exist"), (notPEM, notPEM)] {
            #expect {
                try AMQPConfiguration(url: "amqps://h", tlsCAFile: file)
            } throws: { error in
                guard let error = error as? AMQPError else { return false }
                return error.code == .invalidConfiguration && error.message.contains(file) && error.message.contains(words)
            }
        }
    }

    @Test func tlsFilesNeedTLSAndClientCertificatesNeedBothFiles() throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try AMQPConfiguration(url: "amqp://h", tlsCAFile: path) } throws: {
            ($0 as? AMQPError)?.code == .invalidConfiguration && ($0 as? AMQPError)?.message.contains("amqps://") == true
        }
        #expect { try AMQPConfiguration(url: "amqps://h", tlsCertificateFile: path) } throws: {
            ($0 as? AMQPError)?.code == .invalidConfiguration
        }
        #expect { try AMQPConfiguration(url: "amqps://h", tlsCertificateFile: path, tlsKeyFile: "/nonexistent/key.pem") } throws: {
            ($0 as? AMQPError)?.message.contains("/nonexistent/key.pem") == true
        }
    }
}
