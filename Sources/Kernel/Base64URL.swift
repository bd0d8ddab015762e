import ExtrasBase64

/// Base64url without padding (RFC 4648 §5), as JWTs and tokens use it: swift-extras-base64's codec with the
/// options LastMile's tokens, cursors and stored keys were written with.
public enum Base64URL {
    /// Encodes bytes.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encodeToString(bytes: bytes, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    /// Decodes text; `nil` when it holds anything outside the alphabet, padding included.
    public static func decode(_ text: Substring) -> [UInt8]? {
        guard !text.utf8.contains(UInt8(ascii: "=")) else { return nil }
        return try? Base64.decode(bytes: text.utf8, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }
}
