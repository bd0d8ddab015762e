import Contracts
import Foundation
import JWTKit
import Kernel

/// The claims of a LastMile access token (RFC 9068 profile, EdDSA-signed).
///
/// jwt-kit calls ``verify(using:)`` after the signature checks out; it checks nothing because the claims are checked
/// against the service's clock, which jwt-kit cannot see, by ``AccessTokenCodec/verify(_:with:now:)``.
struct AccessTokenPayload: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var nbf: NotBeforeClaim
    var jti: IDClaim
    var sid: String
    var role: String

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// One Ed25519 signing key with its id.
public struct SigningKey: Sendable {
    /// The key id put in the token header as `kid`.
    public let id: String
    let privateKey: EdDSA.PrivateKey
    /// When it was published; it signs once it has been published for the publication delay.
    let createdAt: Date

    init(id: String, privateKey: EdDSA.PrivateKey, createdAt: Date) {
        self.id = id
        self.privateKey = privateKey
        self.createdAt = createdAt
    }

    /// A fresh random key, published at `createdAt`.
    static func generate(createdAt: Date) throws -> SigningKey {
        SigningKey(id: Identifier<SigningKey>.generate().rawValue, privateKey: try EdDSA.PrivateKey(curve: .ed25519), createdAt: createdAt)
    }

    /// The JWKS entry: the public half only.
    var jwk: JWKSet.Key {
        JWKSet.Key(kty: "OKP", crv: "Ed25519", x: Base64URL.encode(privateKey.publicKey.rawRepresentation), kid: id, alg: "EdDSA", use: "sig")
    }
}

/// Signs and verifies access tokens with jwt-kit, applying RFC 8725's advice: one algorithm, explicit `typ`, every
/// claim checked.
struct AccessTokenCodec: Sendable {
    static let algorithm = "EdDSA"
    static let type = "at+jwt"

    let issuer: String
    let audience: String
    let leeway: TimeInterval

    /// Whole seconds and sorted keys, so a token reads the same whoever signs it.
    static let serializer: DefaultJWTSerializer = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        return DefaultJWTSerializer(jsonEncoder: encoder)
    }()

    private static let parser = DefaultJWTParser()

    /// A signed token for `payload`, naming `kid` in its header; `keys` must hold the private key `kid`.
    func sign(_ payload: AccessTokenPayload, kid: String, with keys: JWTKeyCollection) async throws -> String {
        try await keys.sign(payload, kid: JWKIdentifier(string: kid), header: ["typ": .string(Self.type)])
    }

    /// The key id a token names, read before verifying so the right key can be found; refuses any other `alg`
    /// or `typ` before a key is even looked up.
    func keyID(of token: String) throws -> String {
        let header: JWTHeader
        do {
            header = try Self.parser.parse(Array(token.utf8), as: AccessTokenPayload.self).header
        } catch {
            throw AuthError.invalidToken(reason: "malformed")
        }
        guard header.alg == Self.algorithm else { throw AuthError.invalidToken(reason: "algorithm \(header.alg ?? "none") not accepted") }
        let type = header.typ?.lowercased()
        guard type == Self.type || type == "application/\(Self.type)" else {
            throw AuthError.invalidToken(reason: "type \(header.typ ?? "none") not accepted")
        }
        guard let kid = header.kid else { throw AuthError.invalidToken(reason: "no key id") }
        return kid
    }

    /// The claims of `token` once its signature verifies with `keys` and every claim holds at `now`.
    ///
    /// Call ``keyID(of:)`` first and pass only a collection that holds that key: jwt-kit would otherwise try its
    /// default key on a token naming an unknown one.
    func verify(_ token: String, with keys: JWTKeyCollection, now: Date) async throws -> AccessClaims {
        let payload: AccessTokenPayload
        do {
            payload = try await keys.verify(token, as: AccessTokenPayload.self)
            try payload.aud.verifyIntendedAudience(includes: audience)
            try payload.exp.verifyNotExpired(currentDate: now.addingTimeInterval(-leeway))
            try payload.nbf.verifyNotBefore(currentDate: now.addingTimeInterval(leeway))
        } catch let error as JWTError {
            throw AuthError.invalidToken(reason: error.reason ?? "\(error.errorType)")
        }
        guard payload.iss.value == issuer else { throw AuthError.invalidToken(reason: "wrong issuer") }
        guard payload.iat.value.addingTimeInterval(-leeway) <= now else { throw AuthError.invalidToken(reason: "issued in the future") }
        guard let role = Role(rawValue: payload.role), !payload.sub.value.isEmpty, !payload.sid.isEmpty, !payload.jti.value.isEmpty else {
            throw AuthError.invalidToken(reason: "missing claims")
        }
        return AccessClaims(userID: payload.sub.value, role: role, sessionID: payload.sid, tokenID: payload.jti.value, expiresAt: payload.exp.value)
    }
}
