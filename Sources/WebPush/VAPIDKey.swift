import Crypto
import Foundation

/// The application server's key pair for VAPID (RFC 8292): its public half is the `applicationServerKey` browsers
/// subscribe with, and its private half signs the token that comes with every push message. One per deployment; a new
/// key orphans every subscription made with the old one.
public struct VAPIDKey: Sendable, CustomStringConvertible {
    /// The signing key.
    let privateKey: P256.Signing.PrivateKey

    /// A new random key.
    public static func generate() -> VAPIDKey { VAPIDKey(privateKey: P256.Signing.PrivateKey()) }

    private init(privateKey: P256.Signing.PrivateKey) { self.privateKey = privateKey }

    /// The key stored as ``privateKeyBase64URL`` (the 32-byte scalar in base64url, as Web Push libraries keep it);
    /// nil when it is not one.
    public init?(privateKeyBase64URL: String) {
        guard let raw = Base64URL.decode(privateKeyBase64URL), raw.count == 32,
            let key = try? P256.Signing.PrivateKey(rawRepresentation: raw)
        else { return nil }
        self.privateKey = key
    }

    /// The private key to store (a secret): the 32-byte scalar in base64url.
    public var privateKeyBase64URL: String { Base64URL.encode(privateKey.rawRepresentation) }

    /// The public key as a browser's `PushManager.subscribe({applicationServerKey})` takes it: the uncompressed
    /// point (65 bytes) in base64url. It is also the `k` of the `Authorization` header.
    public var applicationServerKey: String { Base64URL.encode(privateKey.publicKey.x963Representation) }

    /// The public key only: the private half is never written out.
    public var description: String { "VAPIDKey(\(applicationServerKey))" }

    /// The `Authorization` header value for a push to `audience` (the endpoint's origin): `vapid t=<JWT>, k=<key>`, the
    /// JWT signed with ES256 and carrying `aud`, `exp` and `sub`.
    public func authorization(audience: String, subject: VAPIDSubject, expires: Date) throws(WebPushError) -> String {
        let header = #"{"typ":"JWT","alg":"ES256"}"#
        let claims: [String: Any] = ["aud": audience, "exp": Int(expires.timeIntervalSince1970), "sub": subject.value]
        guard let claimsJSON = try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw .encryptionFailed("the VAPID claims could not be written")
        }
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(claimsJSON)
        guard let signature = try? privateKey.signature(for: Array(signingInput.utf8)) else {
            throw .encryptionFailed("the VAPID token could not be signed")
        }
        // JWS ES256 signatures are r‖s, 64 bytes: swift-crypto's raw representation.
        return "vapid t=\(signingInput).\(Base64URL.encode(signature.rawRepresentation)), k=\(applicationServerKey)"
    }
}

/// Who runs the application server, for the push service to reach (RFC 8292 §2.1): a `mailto:` or `https:` URL.
public struct VAPIDSubject: Sendable, Hashable, CustomStringConvertible {
    /// The URL.
    public let value: String

    /// A subject from `value`; nil unless it is a `mailto:` address or an `https:` URL.
    public init?(_ value: String) {
        let lowered = value.lowercased()
        if lowered.hasPrefix("mailto:") {
            let address = value.dropFirst("mailto:".count)
            guard let at = address.firstIndex(of: "@"), at != address.startIndex, address.index(after: at) != address.endIndex,
                !address.contains(where: \.isWhitespace)
            else { return nil }
        } else if lowered.hasPrefix("https://") {
            guard let url = URLComponents(string: value), let host = url.host, !host.isEmpty else { return nil }
        } else {
            return nil
        }
        self.value = value
    }

    /// The URL.
    public var description: String { value }
}

extension VAPIDKey: CustomReflectable {
    /// The public key only, in `dump` too.
    public var customMirror: Mirror { Mirror(self, children: ["applicationServerKey": applicationServerKey]) }
}
