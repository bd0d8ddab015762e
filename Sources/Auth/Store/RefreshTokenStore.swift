import Foundation
import Storage

/// A refresh token's row, found by the hash of the token.
struct RefreshTokenRecord: Sendable, Decodable {
    var sessionID: String
    var userID: String
    var expiresAt: Date
    var usedAt: Date?
    var revokedAt: Date?
}

/// SQL for `refresh_tokens`: one family per session, rotated on every use.
enum RefreshTokenStore {
    static func insert(hash: String, sessionID: String, userID: String, issuedAt: Date, expiresAt: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            "INSERT INTO refresh_tokens (token_hash, session_id, user_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)", hash,
            sessionID, userID, issuedAt, expiresAt)
    }

    /// Marks the token used if it was unused; the row comes back only to the one caller that won.
    static func claim(hash: String, at time: Date, in db: any SQLExecutor) async throws -> RefreshTokenRecord? {
        try await db.first(
            """
            UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL
            RETURNING session_id, user_id, expires_at, used_at, revoked_at
            """, hash, time
        ).map(record)
    }

    static func find(hash: String, in db: any SQLExecutor) async throws -> RefreshTokenRecord? {
        try await db.first("SELECT session_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1", hash)
            .map(record)
    }

    static func revokeFamily(sessionID: String, at time: Date, in db: any SQLExecutor) async throws {
        try await db.query("UPDATE refresh_tokens SET revoked_at = $2 WHERE session_id = $1 AND revoked_at IS NULL", sessionID, time)
    }

    static func revokeAll(userID: String, except keep: String?, at time: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND session_id <> $3", userID, time,
            keep ?? "")
    }

    private static func record(_ row: SQLRow) throws -> RefreshTokenRecord { try row.decode(RefreshTokenRecord.self) }
}
