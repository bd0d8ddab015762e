import Auth
import Contracts
import Foundation
import Storage
import TestSupport
import Testing

@Suite("Verified-token cache")
struct VerifiedTokenCacheTests {
    /// `token` with its payload's `role` changed, header and signature kept: it shares the cached token's last bytes.
    static func withRole(_ role: String, in token: String) throws -> String {
        var parts = token.split(separator: ".").map(String.init)
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let json = try #require(Data(base64Encoded: base64))
        var claims = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        claims["role"] = role
        parts[1] = try JSONSerialization.data(withJSONObject: claims).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return parts.joined(separator: ".")
    }

    @Test(arguments: DatabaseKind.available)
    func aTokenSharingACachedTokensSignatureIsStillVerified(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            #expect(try await h.auth.authenticate(accessToken: pair.accessToken).role == .customer)
            let forged = try Self.withRole("admin", in: pair.accessToken)
            #expect(forged != pair.accessToken)
            #expect(forged.suffix(32) == pair.accessToken.suffix(32))
            await #expect {
                _ = try await h.auth.authenticate(accessToken: forged)
            } throws: { error in
                isAuthError(error, .invalidToken(reason: ""))
            }
            #expect(try await h.auth.authenticate(accessToken: pair.accessToken).role == .customer)
        }
    }
}
