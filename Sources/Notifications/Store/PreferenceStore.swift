import Contracts
import Foundation
import Storage

/// SQL for `notification_preferences`: a row only for users who changed the defaults.
enum PreferenceStore {
    static func find(userID: String, in db: any SQLExecutor) async throws -> NotificationPreferences? {
        guard
            let row = try await db.first("SELECT channels, quiet_from, quiet_to, time_zone FROM notification_preferences WHERE user_id = $1", userID)
        else { return nil }
        let channels = try StoreJSON.value([NotificationCategory: [NotificationChannel]].self, from: try row.string("channels"))
        let quiet: QuietHours? =
            if let from = try row.optionalString("quiet_from"), let to = try row.optionalString("quiet_to") { QuietHours(from: from, to: to) } else {
                nil
            }
        return NotificationPreferences(channels: channels, quietHours: quiet, timeZone: try row.string("time_zone"))
    }

    static func save(_ p: NotificationPreferences, userID: String, at now: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO notification_preferences (user_id, channels, quiet_from, quiet_to, time_zone, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (user_id) DO UPDATE SET channels = excluded.channels, quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,
                time_zone = excluded.time_zone, updated_at = excluded.updated_at
            """, userID, StoreJSON.text(p.channels), p.quietHours?.from, p.quietHours?.to, p.timeZone, now)
    }
}
