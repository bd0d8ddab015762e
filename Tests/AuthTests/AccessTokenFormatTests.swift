import Auth
import Contracts
import Foundation
import Kernel
import TestSupport
import Testing

@Suite("Access token format")
struct AccessTokenFormatTests {
    static func json(_ part: Substring) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// What other verifiers (and tokens issued before jwt-kit signed them) rely on: the RFC 9068 header, whole-second
    /// times, a single-string audience, and the key named in the JWKS.
    @Test(arguments: DatabaseKind.available)
    func headerAndClaimsKeepTheirShape(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user(.admin)
            let pair = try await h.login(user.email)
            let parts = pair.accessToken.split(separator: ".", omittingEmptySubsequences: false)
            try #require(parts.count == 3)
            let header = try Self.json(parts[0])
            #expect(Set(header.keys) == ["alg", "typ", "kid"])
            #expect(header["alg"] as? String == "EdDSA" && header["typ"] as? String == "at+jwt")
            #expect(try await h.auth.jwks().keys.map(\.kid) == [try #require(header["kid"] as? String)])
            let claims = try Self.json(parts[1])
            #expect(Set(claims.keys) == ["iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid", "role"])
            #expect(claims["iss"] as? String == h.settings.issuer && claims["aud"] as? String == h.settings.audience)
            #expect(claims["sub"] as? String == user.id && claims["role"] as? String == "admin" && claims["sid"] as? String == pair.sessionId)
            let issued = try #require(claims["iat"] as? Int)
            #expect(claims["nbf"] as? Int == issued && claims["exp"] as? Int == issued + 900)
            #expect(Double(issued) <= h.clock.now().timeIntervalSince1970 && Double(issued) > h.clock.now().timeIntervalSince1970 - 1)
            #expect(try #require(Base64URL.decode(parts[2])).count == 64, "an Ed25519 signature")
        }
    }
}
