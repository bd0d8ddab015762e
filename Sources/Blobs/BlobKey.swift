import Kernel

/// The keys every ``BlobStore`` hands out: 256 random bits as URL-safe base64 (43 characters of `A-Z a-z 0-9 - _`).
///
/// The shape is checked before a key reaches a file system or a query, so a key can never name a path outside a
/// store (no `/`, no `.`, no `..`) and a forged key costs nothing to refuse.
public enum BlobKey {
    /// The length of every key.
    public static let length = 43

    /// A fresh, unguessable key.
    public static func generate() -> String {
        SecureRandom.token(bytes: 32)
    }

    /// Whether `key` has the shape of a key this module generates.
    public static func isValid(_ key: String) -> Bool {
        let bytes = key.utf8
        return bytes.count == length && bytes.allSatisfy(isKeyByte)
    }

    /// `key` when it is valid; otherwise throws ``BlobStoreError/invalidKey``.
    static func checked(_ key: String) throws -> String {
        guard isValid(key) else { throw BlobStoreError.invalidKey }
        return key
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
