import ServerKit
import Testing

/// Who a request is attributed to behind reverse proxies.
@Suite("Trusted proxies")
struct TrustedProxiesTests {
    static func proxies(_ list: String) throws -> TrustedProxies {
        var invalid: String?
        return try #require(TrustedProxies(parsing: list, invalid: &invalid))
    }

    @Test("Through a trusted proxy the client is the rightmost address that is not a proxy")
    func rightmostUntrusted() throws {
        let trusted = try Self.proxies("10.0.0.0/8, 127.0.0.1")
        #expect(trusted.client(peer: "10.1.2.3", forwardedFor: ["203.0.113.7"]) == "203.0.113.7")
        // The client wrote its own header; nginx appended what it saw: the first entry is the client's lie.
        #expect(trusted.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1, 203.0.113.7"]) == "203.0.113.7")
        // Two proxies in a row: both are skipped.
        #expect(trusted.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.4", "10.9.9.9"]) == "198.51.100.4")
        #expect(trusted.client(peer: "::ffff:10.1.2.3", forwardedFor: ["2001:db8::1"]) == "2001:db8::1")
    }

    @Test("From anyone else the header is ignored")
    func untrustedPeer() throws {
        let trusted = try Self.proxies("10.0.0.0/8")
        #expect(trusted.client(peer: "203.0.113.9", forwardedFor: ["127.0.0.1"]) == "203.0.113.9")
        #expect(TrustedProxies.none.client(peer: "10.1.2.3", forwardedFor: ["203.0.113.7"]) == "10.1.2.3")
    }

    @Test("A malformed hop stops the walk; only proxies behind it are believed")
    func malformedHop() throws {
        let trusted = try Self.proxies("10.0.0.0/8")
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: ["203.0.113.7, not-an-ip"]) == "10.0.0.1")
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
    }

    @Test("Ranges parse with and without a prefix, in IPv4 and IPv6; anything else is named")
    func parsing() throws {
        let trusted = try Self.proxies("192.168.0.0/16,fd00::/8,::1")
        #expect(trusted.contains("192.168.44.1"))
        #expect(!trusted.contains("192.169.0.1"))
        #expect(trusted.contains("fd12:3456::1"))
        #expect(trusted.contains("::1"))
        #expect(!trusted.contains("fe80::1"))
        for bad in ["10.0.0.0/33", "example.org", "10.0.0.0/x"] {
            var invalid: String?
            #expect(TrustedProxies(parsing: "127.0.0.1, \(bad)", invalid: &invalid) == nil)
            #expect(invalid == bad)
        }
    }
}
