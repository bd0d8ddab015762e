import Contracts
import Crypto
import Foundation
import Kernel
import Platform
import ServerKit
import Storage

/// Builds access tokens by hand, signed with the platform's real key, to try every way a token can be wrong.
struct TokenForge {
    let kid: String
    let key: Curve25519.Signing.PrivateKey

    static func load(from database: any Database) async throws -> TokenForge {
        let row = try await database.first("SELECT kid, private_key FROM signing_keys ORDER BY created_at DESC")!
        let bytes = Base64URL.decode(Substring(try row.string("private_key")))!
        return TokenForge(kid: try row.string("kid"), key: try Curve25519.Signing.PrivateKey(rawRepresentation: bytes))
    }

    static func claims(from token: String) -> [String: Any] {
        let part = token.split(separator: ".")[1]
        return (try? JSONSerialization.jsonObject(with: Data(Base64URL.decode(part)!))) as? [String: Any] ?? [:]
    }

    func token(header: [String: Any], claims: [String: Any], sign: (String) -> [UInt8]? = { _ in nil }) -> String {
        let input =
            Base64URL.encode(try! JSONSerialization.data(withJSONObject: header)) + "."
            + Base64URL.encode(try! JSONSerialization.data(withJSONObject: claims))
        let signature = sign(input) ?? [UInt8](try! key.signature(for: Data(input.utf8)))
        return input + "." + Base64URL.encode(signature)
    }

    var header: [String: Any] { ["alg": "EdDSA", "typ": "at+jwt", "kid": kid] }
}
