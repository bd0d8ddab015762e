import Contracts
import Crypto
import Foundation
import Storage

/// One row of `notification_devices`: the token is kept for sending, never shown.
struct DeviceRecord: Sendable, Hashable {
    var id: String
    var userID: String
    var platform: DevicePlatform
    /// The FCM or APNs token, or the Web Push subscription as JSON.
    var token: String
    var appID: String?
    var name: String?
    var locale: String?
    var createdAt: Date
    var lastSeenAt: Date

    var device: Device {
        Device(id: id, platform: platform, appId: appID, name: name, locale: locale, createdAt: createdAt, lastSeenAt: lastSeenAt)
    }

    var target: PushTarget { PushTarget(platform: platform, appID: appID, deviceID: id) }

    /// What makes a token one device whoever registers it: a hash, since a subscription may be long.
    static func key(platform: DevicePlatform, token: String) -> String {
        SHA256.hash(data: Data("\(platform.rawValue)\n\(token)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// SQL for `notification_devices`.
enum DeviceStore {
    static let columns = "id, user_id, platform, token, app_id, name, locale, created_at, last_seen_at"

    /// Registers a device, or moves the same token to `record`'s user and refreshes it; returns the row kept.
    static func upsert(_ d: DeviceRecord, in db: any SQLExecutor) async throws -> DeviceRecord {
        let rows = try await db.query(
            """
            INSERT INTO notification_devices (\(columns), token_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (token_key) DO UPDATE SET user_id = excluded.user_id, app_id = excluded.app_id, name = excluded.name,
                locale = excluded.locale, last_seen_at = excluded.last_seen_at
            RETURNING \(columns)
            """,
            d.id, d.userID, d.platform.rawValue, d.token, d.appID, d.name, d.locale, d.createdAt, d.lastSeenAt,
            DeviceRecord.key(platform: d.platform, token: d.token))
        return try read(rows[0])
    }

    static func ofUser(_ userID: String, in db: any SQLExecutor) async throws -> [DeviceRecord] {
        try await db.query("SELECT \(columns) FROM notification_devices WHERE user_id = $1 ORDER BY created_at DESC, id", userID).map(read)
    }

    static func count(ofUser userID: String, in db: any SQLExecutor) async throws -> Int {
        try await db.query("SELECT COUNT(*) AS n FROM notification_devices WHERE user_id = $1", userID)[0].int("n")
    }

    static func find(id: String, in db: any SQLExecutor) async throws -> DeviceRecord? {
        try await db.query("SELECT \(columns) FROM notification_devices WHERE id = $1", id).first.map(read)
    }

    /// Forgets a device; whether it was there.
    @discardableResult
    static func delete(id: String, userID: String?, in db: any SQLExecutor) async throws -> Bool {
        if let userID {
            return !(try await db.query("DELETE FROM notification_devices WHERE id = $1 AND user_id = $2 RETURNING id", id, userID)).isEmpty
        }
        return !(try await db.query("DELETE FROM notification_devices WHERE id = $1 RETURNING id", id)).isEmpty
    }

    static func read(_ row: SQLRow) throws -> DeviceRecord {
        DeviceRecord(
            id: try row.string("id"), userID: try row.string("user_id"), platform: DevicePlatform(rawValue: try row.string("platform")) ?? .fcm,
            token: try row.string("token"), appID: try row.optionalString("app_id"), name: try row.optionalString("name"),
            locale: try row.optionalString("locale"), createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"))
    }
}
