import Contracts
import Foundation
import Storage

/// A user row (``UserStore/columns``), password hash included; never leaves the auth service.
struct UserRecord: Sendable, Decodable {
    var id: String
    var email: String
    var passwordHash: String
    var role: Role
    var isActive: Bool
    var locale: String
    var createdAt: Date

    var profile: UserProfile {
        UserProfile(id: id, email: email, role: role, isActive: isActive, locale: locale, createdAt: createdAt)
    }
}

/// SQL for the `users` table.
enum UserStore {
    static let columns = "id, email, password_hash, role, is_active, locale, created_at"

    static func insert(_ user: UserRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO users (id, email, email_normalized, password_hash, role, is_active, locale, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
            """,
            user.id, user.email, CredentialRules.normalizeEmail(user.email), user.passwordHash, user.role.rawValue, user.isActive,
            user.locale, user.createdAt)
    }

    static func find(email: String, in db: any SQLExecutor) async throws -> UserRecord? {
        try await db.first("SELECT \(columns) FROM users WHERE email_normalized = $1", CredentialRules.normalizeEmail(email))
            .map(record)
    }

    static func find(id: String, in db: any SQLExecutor) async throws -> UserRecord? {
        try await db.first("SELECT \(columns) FROM users WHERE id = $1", id).map(record)
    }

    static func updatePassword(userID: String, hash: String, at time: Date, in db: any SQLExecutor) async throws {
        try await db.query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", userID, hash, time)
    }

    static func count(in db: any SQLExecutor) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM users")?.int("n") ?? 0
    }

    private static func record(_ row: SQLRow) throws -> UserRecord { try row.decode(UserRecord.self) }
}
