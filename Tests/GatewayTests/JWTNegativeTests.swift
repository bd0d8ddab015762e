import Contracts
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Platform
import ServerKit
import Storage
import Testing

@Suite("JWT negative cases (RFC 8725): each refused with 401")
struct JWTNegativeTests {
    @Test func forgedTokensAreRefused() async throws {
        try await TestPlatform.with { platform, client in
            let user = try await platform.user(.admin)
            let genuine = try await platform.login(client, user.email)["accessToken"] as! String
            let forge = try await TokenForge.load(from: platform.platform.database)
            let claims = TokenForge.claims(from: genuine)
            let now = Int(Date().timeIntervalSince1970)
            func with(_ changes: [String: Any?]) -> [String: Any] {
                var copy = claims
                for (key, value) in changes { copy[key] = value }
                return copy
            }
            let publicKey = forge.key.publicKey.rawRepresentation

            var cases: [(String, String)] = [
                ("the genuine token re-signed (control)", forge.token(header: forge.header, claims: claims)),
                ("alg none", forge.token(header: ["alg": "none", "typ": "at+jwt", "kid": forge.kid], claims: claims) { _ in [] }),
                (
                    "HS256 keyed with the public key",
                    forge.token(header: ["alg": "HS256", "typ": "at+jwt", "kid": forge.kid], claims: claims) { input in
                        Array(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: publicKey)))
                    }
                ),
                ("wrong aud", forge.token(header: forge.header, claims: with(["aud": "someone-else"]))),
                ("wrong iss", forge.token(header: forge.header, claims: with(["iss": "evil"]))),
                (
                    "expired beyond the leeway",
                    forge.token(header: forge.header, claims: with(["exp": now - 120, "iat": now - 1000, "nbf": now - 1000]))
                ),
                ("nbf in the future", forge.token(header: forge.header, claims: with(["nbf": now + 600]))),
                ("typ JWT (an ID token, say)", forge.token(header: ["alg": "EdDSA", "typ": "JWT", "kid": forge.kid], claims: claims)),
                ("typ refresh", forge.token(header: ["alg": "EdDSA", "typ": "refresh+jwt", "kid": forge.kid], claims: claims)),
                ("no typ", forge.token(header: ["alg": "EdDSA", "kid": forge.kid], claims: claims)),
                ("unknown kid", forge.token(header: ["alg": "EdDSA", "typ": "at+jwt", "kid": "no-such-key"], claims: claims)),
                ("missing sid", forge.token(header: forge.header, claims: with(["sid": nil]))),
                ("unknown role", forge.token(header: forge.header, claims: with(["role": "root"]))),
                ("garbage", "not.a.token"),
            ]
            var tampered = Array(genuine.utf8)
            tampered[tampered.count - 5] = tampered[tampered.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            cases.append(("tampered signature", String(decoding: tampered, as: UTF8.self)))
            let refresh = try await platform.login(client, user.email)["refreshToken"] as! String
            cases.append(("a refresh token as access token", refresh))

            for (name, token) in cases {
                try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(token)) { response in
                    if name.hasSuffix("(control)") {
                        #expect(response.status == .ok, "control case must pass")
                    } else {
                        #expect(response.status == .unauthorized, "\(name): \(response.status)")
                        #expect(response.headers[.wwwAuthenticate] != nil)
                        #expect(!String(buffer: response.body).contains("signature"), "reasons stay in the logs")
                    }
                }
            }
        }
    }
}
