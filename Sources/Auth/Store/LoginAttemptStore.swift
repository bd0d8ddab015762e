import Foundation
import Storage

/// SQL for `login_attempts`: failure counts and locks per subject (`account:<sha256 of e-mail>` or `ip:<address>`).
enum LoginAttemptStore {
    static func states(_ subjects: [String], in db: any SQLExecutor) async throws -> [String: AttemptState] {
        var result: [String: AttemptState] = [:]
        for subject in subjects {
            if let row = try await db.first(
                "SELECT failures, window_start, locked_until, lock_level FROM login_attempts WHERE subject = $1", subject)
            {
                result[subject] = try row.decode(AttemptState.self)
            }
        }
        return result
    }

    static func save(_ subject: String, _ state: AttemptState, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO login_attempts (subject, failures, window_start, locked_until, lock_level) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
                locked_until = excluded.locked_until, lock_level = excluded.lock_level
            """,
            subject, state.failures, state.windowStart, state.lockedUntil, state.lockLevel)
    }

    static func clear(_ subject: String, in db: any SQLExecutor) async throws {
        try await db.query("DELETE FROM login_attempts WHERE subject = $1", subject)
    }
}
