import Storage

/// The auth service's tables, in order.
public enum AuthMigrations {
    /// Migrations of the `auth` service.
    public static let set = MigrationSet(
        service: "auth",
        migrations: [
            CreateUsers(), CreateSessions(), CreateRefreshTokens(), CreateLoginAttempts(), CreatePasswordResetTokens(), CreateSigningKeys(),
            CreateKnownDevices(),
        ])
}
