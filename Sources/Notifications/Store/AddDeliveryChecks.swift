import Storage

/// When a sent delivery's fate was last asked of its provider (text messages: delivered to the phone or not).
struct AddDeliveryChecks: Migration {
    let name = "AddDeliveryChecks"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query("ALTER TABLE notification_deliveries ADD COLUMN checked_at BIGINT", [])
        try await database.query(
            "CREATE INDEX notification_deliveries_unconfirmed ON notification_deliveries (sent_at) WHERE state = 'sent' AND channel = 'sms'", [])
    }
}
