import Contracts
import Foundation
import Kernel
import Storage

/// A user account brought in from elsewhere (a previous billing system, demo data), without a password.
public struct ImportedUser: Sendable, Hashable {
    /// The id to keep (other services refer to it).
    public var id: String
    /// The e-mail, unique regardless of case.
    public var email: String
    /// The role.
    public var role: Role
    /// Preferred language.
    public var locale: String

    /// Creates an imported user.
    public init(id: String, email: String, role: Role, locale: String) {
        self.id = id
        self.email = email
        self.role = role
        self.locale = locale
    }
}

extension AuthService {
    /// Creates many accounts at once, each without a usable password: the holder sets one through the password
    /// reset flow. Rows go in one transaction, on PostgreSQL as one `INSERT … SELECT FROM unnest(…)` with an array
    /// parameter per column, on SQLite a few hundred per statement, so a million take a minute rather than the days
    /// that one bcrypt hash each would.
    ///
    /// Every imported account stores the same bcrypt hash of a random secret nobody knows, so a sign-in attempt
    /// costs the same bcrypt work as for any other account and reveals nothing. E-mails already taken fail the batch.
    public func importUsers(_ users: [ImportedUser]) async throws {
        guard !users.isEmpty else { return }
        for user in users {
            guard !user.id.isEmpty else { throw AuthError.invalidField(field: "id", reason: "must not be empty") }
            try CredentialRules.validateEmail(user.email)
        }
        let hash = try await timingHash()
        let now = clock.now()
        let chunk = 400
        try await database.transaction { tx in
            if tx.dialect == .postgres {
                do {
                    try await tx.query(
                        """
                        INSERT INTO users (id, email, email_normalized, password_hash, role, is_active, locale, created_at, updated_at)
                        SELECT u.id, u.email, u.email_normalized, $6, u.role, $7, u.locale, $8, $8
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, email, email_normalized, role, locale)
                        """,
                        [
                            PostgresArrayLiteral.text(users.map(\.id)), PostgresArrayLiteral.text(users.map(\.email)),
                            PostgresArrayLiteral.text(users.map { CredentialRules.normalizeEmail($0.email) }),
                            PostgresArrayLiteral.text(users.map(\.role.rawValue)),
                            PostgresArrayLiteral.text(users.map(\.locale)), hash.sqlValue, true.sqlValue, now.sqlValue,
                        ])
                } catch StorageError.uniqueViolation {
                    throw AuthError.emailTaken
                }
                return
            }
            for start in stride(from: 0, to: users.count, by: chunk) {
                let slice = users[start..<min(start + chunk, users.count)]
                var values: [String] = []
                var binds: [SQLValue] = [hash.sqlValue, now.sqlValue, true.sqlValue]
                for user in slice {
                    let base = binds.count
                    values.append("($\(base + 1), $\(base + 2), $\(base + 3), $1, $\(base + 4), $3, $\(base + 5), $2, $2)")
                    binds += [
                        user.id.sqlValue, user.email.sqlValue, CredentialRules.normalizeEmail(user.email).sqlValue, user.role.rawValue.sqlValue,
                        user.locale.sqlValue,
                    ]
                }
                do {
                    try await tx.query(
                        """
                        INSERT INTO users (id, email, email_normalized, password_hash, role, is_active, locale, created_at, updated_at)
                        VALUES \(values.joined(separator: ", "))
                        """, binds)
                } catch StorageError.uniqueViolation {
                    throw AuthError.emailTaken
                }
            }
        }
    }

}
