import Auth
import Contracts
import Foundation
import Kernel
import TestSupport
import Testing

@Suite("Signing keys")
struct KeyRotationTests {
    @Test(arguments: DatabaseKind.available)
    func oldKeyVerifiesUntilItsTokensExpire(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let before = try await h.login(user.email)
            let oldKeys = try await h.auth.jwks().keys.map(\.kid)
            let newKid = try await h.auth.rotateSigningKey()
            let after = try await h.login(user.email)
            #expect(try await h.auth.jwks().keys.map(\.kid).sorted() == (oldKeys + [newKid]).sorted())
            _ = try await h.auth.authenticate(accessToken: before.accessToken)
            _ = try await h.auth.authenticate(accessToken: after.accessToken)
            #expect(after.accessToken.split(separator: ".").first != before.accessToken.split(separator: ".").first)

            h.clock.advance(by: 900 + 31)
            _ = try await h.auth.refresh(refreshToken: after.refreshToken, client: AuthHarness.client)
            _ = try await h.auth.rotateSigningKey()
            #expect(!(try await h.auth.jwks().keys.map(\.kid)).contains(oldKeys[0]))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func jwksPublishesEd25519PublicKeysOnly(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let set = try await h.auth.jwks()
            let key = try #require(set.keys.first)
            #expect(key.kty == "OKP" && key.crv == "Ed25519" && key.alg == "EdDSA" && key.use == "sig")
            #expect(Base64URL.decode(Substring(key.x))?.count == 32)
            let json = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
            #expect(!json.contains("\"d\""))
        }
    }
}
