extension IdempotencyKeys {
    /// Inserts the key unless it exists, returning a row when it did: `$1` scope, `$2` key, `$3` fingerprint, `$4` lock
    /// token, `$5` locked until, `$6` now, `$7` expires at.
    static let claimSQL = PreparedSQL(
        """
        INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, lock_token, locked_until, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT DO NOTHING RETURNING lock_token
        """)

    /// PostgreSQL: takes the key's transaction-scoped advisory lock without waiting (`held`) and reads its row, if
    /// any (the columns of ``selectSQL``, `NULL` without one): `$1` scope, `$2` key. Every run on PostgreSQL holds
    /// the lock until it commits, so a row seen under the lock belongs to a run that finished.
    static let lockAndReadSQL = PreparedSQL(
        """
        WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0)) AS held)
        SELECT lock.held, k.fingerprint, k.lock_token, k.locked_until, k.response_status, k.response_body, k.expires_at
        FROM lock LEFT JOIN idempotency_keys k ON k.scope = $1 AND k.idempotency_key = $2
        """)

    /// Removes a row whose lock or answer expired, if it still holds the token read: `$1` scope, `$2` key, `$3` token.
    static let deleteStaleSQL = "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND lock_token = $3"

    /// Writes a key already completed with its answer, unless a row exists: `$1` scope, `$2` key, `$3` fingerprint,
    /// `$4` token, `$5` status, `$6` body, `$7` created at, `$8` completed at, `$9` expires at.
    static let insertCompletedSQL = PreparedSQL(
        """
        INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, lock_token, locked_until, response_status, response_body,
            created_at, completed_at, expires_at)
        VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9)
        ON CONFLICT DO NOTHING RETURNING lock_token
        """)

    /// The key's row: `$1` scope, `$2` key.
    static let selectSQL = """
        SELECT fingerprint, lock_token, locked_until, response_status, response_body, expires_at
        FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2
        """

    /// Takes over an expired lock or answer still held under the token read: `$1` scope, `$2` key, `$3` old token,
    /// `$4` fingerprint, `$5` new token, `$6` locked until, `$7` now, `$8` expires at.
    static let takeOverSQL = PreparedSQL(
        """
        UPDATE idempotency_keys
        SET fingerprint = $4, lock_token = $5, locked_until = $6, response_status = NULL, response_body = NULL,
            created_at = $7, completed_at = NULL, expires_at = $8
        WHERE scope = $1 AND idempotency_key = $2 AND lock_token = $3
          AND ((locked_until IS NOT NULL AND locked_until <= $7) OR (locked_until IS NULL AND expires_at <= $7))
        RETURNING lock_token
        """)

    /// Saves the answer of the run holding the token: `$1` scope, `$2` key, `$3` token, `$4` status, `$5` body,
    /// `$6` now, `$7` expires at.
    static let completeSQL = PreparedSQL(
        """
        UPDATE idempotency_keys
        SET locked_until = NULL, response_status = $4, response_body = $5, completed_at = $6, expires_at = $7
        WHERE scope = $1 AND idempotency_key = $2 AND lock_token = $3 AND locked_until IS NOT NULL
        RETURNING lock_token
        """)
}
