import Contracts
import Crypto
import Foundation
import Kernel

/// The claims of a LastMile access token (RFC 9068 profile, EdDSA-signed).
struct AccessTokenPayload: Codable, Sendable {
    var iss: String
    var aud: String
    var sub: String
    var exp: Int64
    var iat: Int64
    var nbf: Int64
    var jti: String
    var sid: String
    var role: String
}

/// The only header LastMile issues and the only shape it accepts.
struct AccessTokenHeader: Codable, Sendable {
    var alg: String
    var typ: String
    var kid: String
}

/// One Ed25519 signing key with its id.
public struct SigningKey: Sendable {
    /// The key id put in the token header as `kid`.
    public let id: String
    let privateKey: Curve25519.Signing.PrivateKey?
    let publicKey: Curve25519.Signing.PublicKey

    /// A key that signs and verifies.
    init(id: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.id = id
        self.privateKey = privateKey
        self.publicKey = privateKey.publicKey
    }

    /// A fresh random key.
    static func generate() -> SigningKey {
        SigningKey(id: Identifier<SigningKey>.generate().rawValue, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The JWKS entry.
    var jwk: JWKSet.Key {
        JWKSet.Key(kty: "OKP", crv: "Ed25519", x: Base64URL.encode(publicKey.rawRepresentation), kid: id, alg: "EdDSA", use: "sig")
    }
}

/// Signs and verifies access tokens, applying RFC 8725's advice: one algorithm, explicit `typ`, every claim checked.
struct AccessTokenCodec: Sendable {
    static let algorithm = "EdDSA"
    static let type = "at+jwt"

    let issuer: String
    let audience: String
    let leeway: TimeInterval

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    func sign(_ payload: AccessTokenPayload, with key: SigningKey) throws -> String {
        guard let privateKey = key.privateKey else { throw AuthError.invalidToken(reason: "key cannot sign") }
        let header = AccessTokenHeader(alg: Self.algorithm, typ: Self.type, kid: key.id)
        let signingInput =
            Base64URL.encode(try Self.encoder.encode(header)) + "." + Base64URL.encode(try Self.encoder.encode(payload))
        let signature = try privateKey.signature(for: Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The key id a token names, read before verifying so the right key can be found.
    func keyID(of token: String) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]) else { throw AuthError.invalidToken(reason: "malformed") }
        guard let header = try? JSONDecoder().decode(AccessTokenHeader.self, from: Data(headerBytes)) else {
            throw AuthError.invalidToken(reason: "malformed header")
        }
        guard header.alg == Self.algorithm else { throw AuthError.invalidToken(reason: "algorithm \(header.alg) not accepted") }
        guard header.typ.lowercased() == Self.type || header.typ.lowercased() == "application/\(Self.type)" else {
            throw AuthError.invalidToken(reason: "type \(header.typ) not accepted")
        }
        return header.kid
    }

    func verify(_ token: String, key: SigningKey, now: Date) throws -> AccessClaims {
        _ = try keyID(of: token)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard let payloadBytes = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]) else {
            throw AuthError.invalidToken(reason: "malformed")
        }
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard key.publicKey.isValidSignature(signature, for: signingInput) else { throw AuthError.invalidToken(reason: "bad signature") }
        guard let payload = try? JSONDecoder().decode(AccessTokenPayload.self, from: Data(payloadBytes)) else {
            throw AuthError.invalidToken(reason: "malformed claims")
        }
        let seconds = now.timeIntervalSince1970
        guard payload.iss == issuer else { throw AuthError.invalidToken(reason: "wrong issuer") }
        guard payload.aud == audience else { throw AuthError.invalidToken(reason: "wrong audience") }
        guard Double(payload.exp) + leeway > seconds else { throw AuthError.invalidToken(reason: "expired") }
        guard Double(payload.nbf) - leeway <= seconds else { throw AuthError.invalidToken(reason: "not yet valid") }
        guard Double(payload.iat) - leeway <= seconds else { throw AuthError.invalidToken(reason: "issued in the future") }
        guard let role = Role(rawValue: payload.role), !payload.sub.isEmpty, !payload.sid.isEmpty, !payload.jti.isEmpty else {
            throw AuthError.invalidToken(reason: "missing claims")
        }
        return AccessClaims(
            userID: payload.sub, role: role, sessionID: payload.sid, tokenID: payload.jti,
            expiresAt: Date(timeIntervalSince1970: Double(payload.exp)))
    }
}
