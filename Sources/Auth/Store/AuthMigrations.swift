import Storage

/// The auth service's tables, in order.
public enum AuthMigrations {
    /// Migrations of the `auth` service.
    public static let set = MigrationSet(
        service: "auth",
        migrations: [
            SQLMigration(
                "CreateUsers",
                [
                    """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY,
                        email TEXT NOT NULL,
                        email_normalized TEXT NOT NULL UNIQUE,
                        password_hash TEXT NOT NULL,
                        role TEXT NOT NULL,
                        is_active BOOLEAN NOT NULL,
                        locale TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL
                    )
                    """
                ]),
            SQLMigration(
                "CreateSessions",
                [
                    """
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        user_id TEXT NOT NULL,
                        device TEXT NOT NULL,
                        ip_address TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        last_seen_at BIGINT NOT NULL,
                        expires_at BIGINT NOT NULL,
                        revoked_at BIGINT
                    )
                    """,
                    "CREATE INDEX sessions_user ON sessions (user_id)",
                ]),
            SQLMigration(
                "CreateRefreshTokens",
                [
                    """
                    CREATE TABLE refresh_tokens (
                        token_hash TEXT PRIMARY KEY,
                        session_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        issued_at BIGINT NOT NULL,
                        expires_at BIGINT NOT NULL,
                        used_at BIGINT,
                        revoked_at BIGINT
                    )
                    """,
                    "CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)",
                ]),
            SQLMigration(
                "CreateLoginAttempts",
                [
                    """
                    CREATE TABLE login_attempts (
                        subject TEXT PRIMARY KEY,
                        failures INTEGER NOT NULL,
                        window_start BIGINT NOT NULL,
                        locked_until BIGINT,
                        lock_level INTEGER NOT NULL
                    )
                    """
                ]),
            SQLMigration(
                "CreatePasswordResetTokens",
                [
                    """
                    CREATE TABLE password_reset_tokens (
                        token_hash TEXT PRIMARY KEY,
                        user_id TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        expires_at BIGINT NOT NULL,
                        used_at BIGINT
                    )
                    """
                ]),
            SQLMigration(
                "CreateSigningKeys",
                [
                    """
                    CREATE TABLE signing_keys (
                        kid TEXT PRIMARY KEY,
                        private_key TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        retire_at BIGINT
                    )
                    """
                ]),
        ])
}
