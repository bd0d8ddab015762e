import Storage

/// The `known_devices` table: the devices each user has signed in from (by a hash of what the client calls itself), so
/// that a sign-in from another one can be told to the user.
struct CreateKnownDevices: Migration {
    let name = "CreateKnownDevices"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE known_devices (
                user_id TEXT NOT NULL,
                device_key TEXT NOT NULL,
                first_seen_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                PRIMARY KEY (user_id, device_key)
            )
            """, [])
    }
}
