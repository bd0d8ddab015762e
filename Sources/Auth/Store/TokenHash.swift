import Crypto

/// Secrets are stored only as their SHA-256: a leaked table gives no usable token.
enum TokenHash {
    static func of(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
