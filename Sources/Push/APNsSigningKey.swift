import Crypto
import Foundation

/// The provider authentication key from Apple's developer account: the .p8 file's P-256 key, its key id and the
/// team id. Its `description` names the ids only, never the key.
public struct APNsSigningKey: Sendable, CustomStringConvertible {
    /// The key's id (the JWT's `kid`), ten characters.
    public var keyID: String
    /// The developer team's id (the JWT's `iss`), ten characters.
    public var teamID: String
    let privateKey: P256.Signing.PrivateKey

    /// Reads the .p8 file's text (PEM, PKCS #8).
    public init(pem: String, keyID: String, teamID: String) throws(PushError) {
        do {
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw PushError(.invalidConfiguration, "the APNs key \(keyID) is not a PEM P-256 private key")
        }
        self.keyID = keyID
        self.teamID = teamID
    }

    /// Uses a key already in memory.
    public init(privateKey: P256.Signing.PrivateKey, keyID: String, teamID: String) {
        self.privateKey = privateKey
        self.keyID = keyID
        self.teamID = teamID
    }

    /// The public half, which APNs (or a stand-in) verifies tokens with.
    public var publicKey: P256.Signing.PublicKey { privateKey.publicKey }

    /// A provider token issued at `issuedAt`: `{"alg":"ES256","kid":…}.{"iss":…,"iat":…}` signed with ES256.
    public func providerToken(issuedAt: Date) -> String {
        var header: [UInt8] = []
        JSONText.object([("alg", "ES256"), ("kid", .string(keyID))], to: &header)
        var claims: [UInt8] = []
        JSONText.object([("iss", .string(teamID)), ("iat", .integer(Int(issuedAt.timeIntervalSince1970)))], to: &claims)
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(claims)
        // A failure here would mean BoringSSL itself failed; there is no input that causes it.
        let signature = try! privateKey.signature(for: Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The key and team ids.
    public var description: String { "APNsSigningKey(keyID: \(keyID), teamID: \(teamID))" }
}
