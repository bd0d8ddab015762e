import Foundation
import JWTKit
import Kernel
import Storage

/// SQL for `signing_keys`. Every key not yet past `retire_at` verifies; the newest published long enough signs
/// (`KeyRing`).
enum SigningKeyStore {
    static func live(at now: Date, in db: any SQLExecutor) async throws -> [SigningKey] {
        try await db.query(
            "SELECT kid, private_key, created_at FROM signing_keys WHERE retire_at IS NULL OR retire_at > $1 ORDER BY created_at DESC, kid",
            now
        ).compactMap { row in
            let columns = try row.decode(Row.self)
            guard let key = try? EdDSA.PrivateKey(d: columns.privateKey, curve: .ed25519) else { return nil }
            return SigningKey(id: columns.kid, privateKey: key, createdAt: try row.date("created_at"))
        }
    }

    /// A key's row: its id and its private key in base64url.
    private struct Row: Decodable {
        let kid: String
        let privateKey: String
    }

    static func insert(_ key: SigningKey, in db: any SQLExecutor) async throws {
        try await db.query(
            "INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, $3)", key.id,
            Base64URL.encode(key.privateKey.rawRepresentation), key.createdAt)
    }

    /// Schedules the retirement of every key but `keep`: they keep verifying until `retireAt`.
    static func retireOthers(keep: String, retireAt: Date, in db: any SQLExecutor) async throws {
        try await db.query("UPDATE signing_keys SET retire_at = $2 WHERE kid <> $1 AND retire_at IS NULL", keep, retireAt)
    }
}
