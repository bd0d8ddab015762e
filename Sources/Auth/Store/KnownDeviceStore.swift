import Crypto
import Foundation
import Storage

/// SQL for `known_devices`.
enum KnownDeviceStore {
    /// Records a sign-in from `device`; whether it is a device the user has not signed in from before while having
    /// signed in from others (the very first sign-in is nobody's news).
    static func signedIn(userID: String, device: String, at now: Date, in db: any SQLExecutor) async throws -> Bool {
        let key = SHA256.hash(data: Data(device.lowercased().utf8)).map { String(format: "%02x", $0) }.joined()
        let updated = try await db.query(
            "UPDATE known_devices SET last_seen_at = $3 WHERE user_id = $1 AND device_key = $2 RETURNING user_id", userID, key, now)
        guard updated.isEmpty else { return false }
        let others = try await db.query("SELECT COUNT(*) AS n FROM known_devices WHERE user_id = $1", userID)[0].int("n")
        try await db.query(
            "INSERT INTO known_devices (user_id, device_key, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING",
            userID, key, now)
        return others > 0
    }
}
