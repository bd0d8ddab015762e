import Crypto

/// Fingerprints of requests: what ``IdempotentRequest/fingerprint`` holds, so a reused key with another body is caught.
///
/// A fingerprint is the lowercase hex SHA-256 (swift-crypto's) of the request's identifying bytes, typically its
/// method, route and canonical body. Stored keys are compared with it, so its bytes must never change.
public enum IdempotencyFingerprint {
    /// The lowercase hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The fingerprint of `parts`, such as the method, the path and the canonical body.
    ///
    /// Each part is prefixed with its UTF-8 length, so `("ab", "c")` and `("a", "bc")` differ.
    public static func of(_ parts: String...) -> String {
        of(parts)
    }

    /// The fingerprint of `parts`, each prefixed with its UTF-8 length.
    public static func of(_ parts: [String]) -> String {
        var bytes: [UInt8] = []
        for part in parts {
            bytes.append(contentsOf: "\(part.utf8.count):".utf8)
            bytes.append(contentsOf: part.utf8)
        }
        return sha256(bytes)
    }
}
