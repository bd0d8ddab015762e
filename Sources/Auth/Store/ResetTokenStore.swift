import Foundation
import Storage

/// SQL for `password_reset_tokens`: single use, expiring.
enum ResetTokenStore {
    static func insert(hash: String, userID: String, at time: Date, expiresAt: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", hash, userID, time,
            expiresAt)
    }

    /// Uses the token if it is unused and unexpired; returns its user.
    static func consume(hash: String, at time: Date, in db: any SQLExecutor) async throws -> String? {
        try await db.first(
            """
            UPDATE password_reset_tokens SET used_at = $2
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id
            """, hash, time
        )?.string("user_id")
    }
}
