import Crypto
import Kernel

/// Secrets are stored only as their SHA-256: a leaked table gives no usable token.
enum TokenHash {
    static func of(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(token.utf8)))
    }
}
