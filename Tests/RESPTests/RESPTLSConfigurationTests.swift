import Foundation
import Testing

@testable import RESP

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
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("resp-tls-\(UUID().uuidString).pem").path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// URL parsing and TLS settings, with no server.
@Suite struct RESPTLSConfigurationTests {
    @Test func redissTurnsTLSOnAndKeepsTheUsualPort() throws {
        let configuration = try RESPConfiguration(url: "rediss://:secret@cache.example/2")
        #expect(configuration.port == 6379)
        #expect(configuration.password == "secret" && configuration.database == 2)
        let tls = try #require(configuration.tls)
        #expect(tls == (try RESPTLSConfiguration()), "verified against the system's trust roots")
        #expect(tls.serverHostname(connectingTo: configuration.host) == "cache.example")
        #expect(try RESPConfiguration(url: "rediss://cache.example:6390").port == 6390)
        #expect(try RESPConfiguration(url: "redis://cache.example").tls == nil)
    }

    @Test func ipAddressesAreVerifiedButNotSentAsServerNames() throws {
        let tls = try #require(try RESPConfiguration(url: "rediss://127.0.0.1:6380").tls)
        #expect(tls.serverHostname(connectingTo: "127.0.0.1") == nil)
        #expect(tls.serverHostname(connectingTo: "::1") == nil)
        #expect(tls.serverHostname(connectingTo: "[::1]") == nil)
        var named = tls
        named.serverName = "redis.internal"
        #expect(named.serverHostname(connectingTo: "127.0.0.1") == "redis.internal")
    }

    @Test func aCAFileBecomesTheOnlyTrustRoot() throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try RESPConfiguration(url: "rediss://cache.example", tlsCAFile: path)
        #expect(configuration.tls == (try RESPTLSConfiguration(caFile: path)))
        #expect(configuration == (try RESPConfiguration(url: "rediss://cache.example", tlsCAFile: path)))
        #expect(configuration != (try RESPConfiguration(url: "rediss://cache.example")), "not the system's trust roots")
    }

    @Test func unusableTLSFilesAreRefusedWithTheirPath() throws {
        let notPEM = try temporaryFile("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        let missing = "/nonexistent/\(UUID().uuidString)/ca.pem"
        for (file, words) in [(missing, "does not exist"), (notPEM, notPEM)] {
            #expect {
                try RESPConfiguration(url: "rediss://h", tlsCAFile: file)
            } throws: { error in
                guard let error = error as? RESPError else { return false }
                return error.code == .invalidConfiguration && error.message.contains(file) && error.message.contains(words)
            }
        }
    }

    @Test func tlsFilesNeedTLSAndClientCertificatesNeedBothFiles() throws {
        let path = try temporaryFile(unrelatedCAPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try RESPConfiguration(url: "redis://h", tlsCAFile: path) } throws: {
            ($0 as? RESPError)?.code == .invalidConfiguration && ($0 as? RESPError)?.message.contains("rediss://") == true
        }
        #expect { try RESPConfiguration(url: "rediss://h", tlsCertificateFile: path) } throws: {
            ($0 as? RESPError)?.code == .invalidConfiguration
        }
        #expect { try RESPConfiguration(url: "rediss://h", tlsCertificateFile: path, tlsKeyFile: "/nonexistent/key.pem") } throws: {
            ($0 as? RESPError)?.message.contains("/nonexistent/key.pem") == true
        }
    }
}
