import Storage

/// The notification service's tables: devices, preferences, the notifications made from events, the inbox and the
/// delivery log (which is also the queue of deliveries).
struct CreateNotificationTables: Migration {
    let name = "CreateNotificationTables"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE notification_devices (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                platform TEXT NOT NULL,
                token TEXT NOT NULL,
                token_key TEXT NOT NULL UNIQUE,
                app_id TEXT,
                name TEXT,
                locale TEXT,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            )
            """, [])
        try await database.query("CREATE INDEX notification_devices_user ON notification_devices (user_id, created_at)", [])
        try await database.query(
            """
            CREATE TABLE notification_preferences (
                user_id TEXT PRIMARY KEY,
                channels TEXT NOT NULL,
                quiet_from TEXT,
                quiet_to TEXT,
                time_zone TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
        // One row per event and recipient: the consumer writes it in the event's inbox transaction; the router turns
        // it into inbox items and deliveries (routed_at set) outside any call to the directory.
        try await database.query(
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY,
                event_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                category TEXT NOT NULL,
                critical BOOLEAN NOT NULL,
                recipient_kind TEXT NOT NULL,
                recipient_id TEXT NOT NULL,
                data TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                routed_at BIGINT,
                UNIQUE (event_id, kind, recipient_kind, recipient_id)
            )
            """, [])
        try await database.query("CREATE INDEX notifications_unrouted ON notifications (created_at) WHERE routed_at IS NULL", [])
        try await database.query(
            """
            CREATE TABLE notification_inbox (
                id TEXT PRIMARY KEY,
                notification_id TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL,
                category TEXT NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT,
                created_at BIGINT NOT NULL,
                read_at BIGINT
            )
            """, [])
        try await database.query("CREATE INDEX notification_inbox_user ON notification_inbox (user_id, created_at, id)", [])
        try await database.query("CREATE INDEX notification_inbox_unread ON notification_inbox (user_id) WHERE read_at IS NULL", [])
        try await database.query(
            """
            CREATE TABLE notification_deliveries (
                id TEXT PRIMARY KEY,
                notification_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                customer_id TEXT,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL,
                address TEXT NOT NULL,
                device_id TEXT,
                subject TEXT,
                body TEXT NOT NULL,
                html TEXT,
                link TEXT,
                critical BOOLEAN NOT NULL,
                locale TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                due_at BIGINT,
                lease_until BIGINT,
                detail TEXT,
                provider_id TEXT,
                created_at BIGINT NOT NULL,
                sent_at BIGINT,
                UNIQUE (notification_id, channel, address)
            )
            """, [])
        try await database.query("CREATE INDEX notification_deliveries_due ON notification_deliveries (due_at) WHERE state = 'queued'", [])
        try await database.query(
            "CREATE INDEX notification_deliveries_leased ON notification_deliveries (lease_until) WHERE state = 'sending'", [])
        try await database.query("CREATE INDEX notification_deliveries_customer ON notification_deliveries (customer_id, created_at)", [])
        try await database.query("CREATE INDEX notification_deliveries_user ON notification_deliveries (user_id, channel, sent_at)", [])
    }
}
