import Foundation
import _CryptoExtras

/// A Google service account's key, from its JSON file: the account's e-mail, its RSA key and the OAuth token
/// endpoint. Its `description` names the account only, never the key.
public struct FCMServiceAccount: Sendable, CustomStringConvertible {
    /// The Firebase project's id.
    public var projectID: String
    /// The account's e-mail (the assertion's `iss`).
    public var clientEmail: String
    /// Where access tokens are obtained (the assertion's `aud`).
    public var tokenURI: String
    /// The key's id, sent as the assertion's `kid` when known.
    public var privateKeyID: String?
    let privateKey: _RSA.Signing.PrivateKey

    private struct File: Decodable {
        var project_id: String
        var client_email: String
        var private_key: String
        var private_key_id: String?
        var token_uri: String?
    }

    /// Reads the service account's JSON key file's contents.
    public init(json: Data) throws(PushError) {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw PushError(.invalidConfiguration, "the service account JSON lacks project_id, client_email or private_key")
        }
        try self.init(
            projectID: file.project_id, clientEmail: file.client_email, privateKeyPEM: file.private_key, privateKeyID: file.private_key_id,
            tokenURI: file.token_uri ?? "https://oauth2.googleapis.com/token")
    }

    /// Uses the parts of a service account key.
    public init(projectID: String, clientEmail: String, privateKeyPEM: String, privateKeyID: String? = nil, tokenURI: String) throws(PushError) {
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw PushError(.invalidConfiguration, "the private key of \(clientEmail) is not a PEM RSA private key")
        }
        self.projectID = projectID
        self.clientEmail = clientEmail
        self.privateKeyID = privateKeyID
        self.tokenURI = tokenURI
    }

    /// A JWT bearer assertion (RFC 7523) for `scope`, signed RS256, valid for an hour from `issuedAt`.
    func assertion(scope: String, issuedAt: Date) -> String {
        var header: [(String, PushJSON)] = [("alg", "RS256"), ("typ", "JWT")]
        if let privateKeyID { header.append(("kid", .string(privateKeyID))) }
        let iat = Int(issuedAt.timeIntervalSince1970)
        var headerText: [UInt8] = []
        JSONText.object(header, to: &headerText)
        var claims: [UInt8] = []
        JSONText.object(
            [
                ("iss", .string(clientEmail)), ("scope", .string(scope)), ("aud", .string(tokenURI)), ("iat", .integer(iat)),
                ("exp", .integer(iat + 3600)),
            ],
            to: &claims)
        let signingInput = Base64URL.encode(headerText) + "." + Base64URL.encode(claims)
        // Signing with a key that was read successfully does not fail.
        let signature = try! privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The project and the account.
    public var description: String { "FCMServiceAccount(project: \(projectID), account: \(clientEmail))" }
}
