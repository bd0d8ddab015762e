import ClientTLS
import Foundation
import NIOSSL
import Testing

/// The shared TLS settings, with no server.
@Suite struct ClientTLSConfigurationTests {
    /// A self-signed CA that signed nothing: a valid PEM file to parse.
    static let caPEM = """
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

    static func file(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("client-tls-\(UUID().uuidString).pem").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func namesAreSentAndAddressesAreNot() throws {
        var tls = try ClientTLSConfiguration()
        #expect(tls.serverHostname(connectingTo: "cache.example") == "cache.example")
        #expect(tls.serverHostname(connectingTo: "127.0.0.1") == nil)
        #expect(tls.serverHostname(connectingTo: "[::1]") == nil)
        tls.serverName = "broker.internal"
        #expect(tls.serverHostname(connectingTo: "127.0.0.1") == "broker.internal")
    }

    @Test func aCAFileReplacesTheSystemRoots() throws {
        let path = try Self.file(Self.caPEM)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let privateRoots = try ClientTLSConfiguration(caFile: path)
        #expect(privateRoots == (try ClientTLSConfiguration(caFile: path)))
        #expect(privateRoots != (try ClientTLSConfiguration()))
        #expect(privateRoots.configuration.certificateVerification == .fullVerification)
    }

    @Test func unusableFilesAreRefusedWithTheirPath() throws {
        let notPEM = try Self.file("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        let missing = "/nonexistent/\(UUID().uuidString)/ca.pem"
        #expect(throws: ClientTLSError("the TLS CA file \(missing) does not exist")) { try ClientTLSConfiguration(caFile: missing) }
        #expect { try ClientTLSConfiguration(caFile: notPEM) } throws: { ($0 as? ClientTLSError)?.message.contains(notPEM) == true }
        #expect(throws: ClientTLSError("a client certificate needs both its certificate file and its key file")) {
            try ClientTLSConfiguration(certificateFile: notPEM)
        }
    }

    @Test func failuresAreSaidInWords() {
        #expect(
            TLSFailure.reason(NIOSSLExtraError.failedToValidateHostname, expectedName: "cache.example")
                == "the server's certificate is not valid for cache.example")
        #expect(TLSFailure.reason(ClientTLSError("plain"), expectedName: "h") == "plain")
        #expect(TLSFailure.connectionFailure(ClientTLSError("plain")) == "plain")
    }
}
