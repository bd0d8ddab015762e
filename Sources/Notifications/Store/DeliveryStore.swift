import Contracts
import Foundation
import Storage

/// One row of `notification_deliveries`: the queue and the log at once.
struct DeliveryRecord: Sendable, Equatable {
    var id: String
    var notificationID: String
    var userID: String
    var customerID: String?
    var kind: String
    var channel: NotificationChannel
    var address: String
    var deviceID: String?
    var subject: String?
    var body: String
    var html: String?
    var link: String?
    /// The one-click unsubscribe address of an e-mail that is not critical.
    var unsubscribeURL: String?
    var critical: Bool
    var locale: String
    var state: DeliveryState
    var attempts: Int
    var dueAt: Date?
    var detail: String?
    var providerID: String?
    var createdAt: Date
    var sentAt: Date?

    /// The address as operators see it: a phone's middle digits hidden, a device by its id.
    var shownAddress: String {
        switch channel {
        case .sms where address.count > 6: String(address.prefix(4)) + String(repeating: "•", count: address.count - 6) + String(address.suffix(2))
        case .push, .webPush: deviceID.map { "device \($0)" } ?? "device"
        default: address
        }
    }

    var delivery: Delivery {
        Delivery(
            id: id, notificationId: notificationID, kind: kind, channel: channel, address: shownAddress, state: state, attempts: attempts,
            detail: detail, providerId: providerID, createdAt: createdAt, dueAt: state == .queued ? dueAt : nil, sentAt: sentAt)
    }
}

/// SQL for `notification_deliveries`.
enum DeliveryStore {
    static let columns = """
        id, notification_id, user_id, customer_id, kind, channel, address, device_id, subject, body, html, link, unsubscribe_url, \
        critical, locale, state, attempts, due_at, detail, provider_id, created_at, sent_at
        """

    /// Adds a delivery unless its notification already has one on that channel to that address.
    static func insert(_ d: DeliveryRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO notification_deliveries (\(columns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
            ON CONFLICT (notification_id, channel, address) DO NOTHING
            """,
            d.id, d.notificationID, d.userID, d.customerID, d.kind, d.channel.rawValue, d.address, d.deviceID, d.subject, d.body, d.html,
            d.link, d.unsubscribeURL, d.critical, d.locale, d.state.rawValue, d.attempts, d.dueAt, d.detail, d.providerID, d.createdAt, d.sentAt)
    }

    /// Takes up to `limit` due deliveries for sending: marked `sending` with a lease until `leaseUntil`, their attempt
    /// counted. Several processes may claim at once; none takes another's.
    static func claimDue(now: Date, leaseUntil: Date, limit: Int, in db: any SQLExecutor) async throws -> [DeliveryRecord] {
        let lock = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await db.query(
            PreparedSQL(
                """
                UPDATE notification_deliveries SET state = 'sending', lease_until = $2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM notification_deliveries WHERE state = 'queued' AND due_at <= $1 ORDER BY due_at LIMIT \(limit)\(lock))
                RETURNING \(columns)
                """), [now.sqlValue, leaseUntil.sqlValue]
        ).map(read)
    }

    /// Deliveries left `sending` past their lease (their process died between sending and recording): e-mails and
    /// pushes go out again under the same Message-ID or collapse id; text messages, which would reach the phone twice,
    /// are marked unconfirmed instead. Returns how many were recovered.
    @discardableResult
    static func recoverExpired(now: Date, in db: any SQLExecutor) async throws -> Int {
        try await db.query(
            """
            UPDATE notification_deliveries
            SET state = CASE WHEN channel = 'sms' THEN 'unconfirmed' ELSE 'queued' END, due_at = $1, lease_until = NULL,
                detail = 'the sender stopped before recording the outcome'
            WHERE state = 'sending' AND lease_until < $1 RETURNING id
            """, now
        ).count
    }

    /// Records an attempt's end; nothing when the lease was lost meanwhile.
    static func finish(
        id: String, state: DeliveryState, detail: String?, providerID: String?, sentAt: Date?, dueAt: Date?, in db: any SQLExecutor
    ) async throws {
        try await db.query(
            """
            UPDATE notification_deliveries SET state = $2, detail = $3, provider_id = COALESCE($4, provider_id), sent_at = $5,
                due_at = $6, lease_until = NULL
            WHERE id = $1 AND state = 'sending'
            """, id, state.rawValue, detail.map { String($0.prefix(500)) }, providerID, sentAt, dueAt)
    }

    /// When the last delivery of `kind` through `channel` to `address` was sent, if after `since`.
    static func lastSent(userID: String, channel: NotificationChannel, address: String, kind: String, since: Date, in db: any SQLExecutor)
        async throws -> Date?
    {
        try await db.query(
            """
            SELECT MAX(sent_at) AS t FROM notification_deliveries
            WHERE user_id = $1 AND channel = $2 AND address = $3 AND kind = $4 AND state = 'sent' AND sent_at > $5
            """, userID, channel.rawValue, address, kind, since
        ).first?.optionalDate("t")
    }

    /// Puts a claimed delivery back in the queue until `due`, its attempt not counted.
    static func postpone(id: String, until due: Date, detail: String, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            UPDATE notification_deliveries SET state = 'queued', due_at = $2, lease_until = NULL, attempts = attempts - 1, detail = $3
            WHERE id = $1 AND state = 'sending'
            """, id, due, detail)
    }

    /// Text messages sent since `since` whose fate was not asked within `interval`, oldest check first.
    static func unconfirmedTexts(since: Date, checkedBefore: Date, limit: Int, in db: any SQLExecutor) async throws -> [(String, String)] {
        try await db.query(
            PreparedSQL(
                """
                SELECT id, provider_id FROM notification_deliveries
                WHERE state = 'sent' AND channel = 'sms' AND provider_id IS NOT NULL AND sent_at >= $1
                    AND (checked_at IS NULL OR checked_at < $2)
                ORDER BY COALESCE(checked_at, 0), sent_at LIMIT \(limit)
                """), [since.sqlValue, checkedBefore.sqlValue]
        ).map { (try $0.string("id"), try $0.string("provider_id")) }
    }

    /// Records a provider's answer about a sent delivery: its fate, or only that it was asked.
    static func checked(id: String, fate: DeliveryFate?, at now: Date, in db: any SQLExecutor) async throws {
        switch fate {
        case .delivered(let detail)?:
            try await db.query(
                "UPDATE notification_deliveries SET state = 'delivered', detail = $2, checked_at = $3 WHERE id = $1 AND state = 'sent'", id, detail,
                now)
        case .failed(let detail)?:
            try await db.query(
                "UPDATE notification_deliveries SET state = 'failed', detail = $2, checked_at = $3 WHERE id = $1 AND state = 'sent'", id, detail, now)
        case nil:
            try await db.query("UPDATE notification_deliveries SET checked_at = $2 WHERE id = $1", id, now)
        }
    }

    /// Forgets what a delivery said, and its notification's values: for texts that carry a secret, once sent.
    static func wipe(deliveryID: String, notificationID: String, in db: any SQLExecutor) async throws {
        try await db.query("UPDATE notification_deliveries SET body = '', html = NULL WHERE id = $1", deliveryID)
        try await db.query("UPDATE notifications SET data = '{\"values\":{}}' WHERE id = $1", notificationID)
    }

    /// Text messages sent to a user since `since` (the daily cap).
    static func smsSent(userID: String, since: Date, in db: any SQLExecutor) async throws -> Int {
        try await db.query(
            """
            SELECT COUNT(*) AS n FROM notification_deliveries
            WHERE user_id = $1 AND channel = 'sms' AND sent_at >= $2
                AND (state IN ('sending', 'unconfirmed') OR (state IN ('sent', 'delivered') AND provider_id IS NOT NULL))
            """, userID, since)[0].int("n")
    }

    /// A customer's deliveries, newest first.
    static func page(customerID: String, after position: (Date, String)?, limit: Int, in db: any SQLExecutor) async throws -> [DeliveryRecord] {
        var sql = "SELECT \(columns) FROM notification_deliveries WHERE customer_id = $1"
        var values: [SQLValue] = [.text(customerID)]
        if let (at, id) = position {
            values += [at.sqlValue, .text(id)]
            sql += " AND (created_at < $2 OR (created_at = $2 AND id < $3))"
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        return try await db.query(PreparedSQL(sql), values).map(read)
    }

    static func find(id: String, in db: any SQLExecutor) async throws -> DeliveryRecord? {
        try await db.query("SELECT \(columns) FROM notification_deliveries WHERE id = $1", id).first.map(read)
    }

    static func read(_ row: SQLRow) throws -> DeliveryRecord {
        DeliveryRecord(
            id: try row.string("id"), notificationID: try row.string("notification_id"), userID: try row.string("user_id"),
            customerID: try row.optionalString("customer_id"), kind: try row.string("kind"),
            channel: NotificationChannel(rawValue: try row.string("channel")) ?? .email, address: try row.string("address"),
            deviceID: try row.optionalString("device_id"), subject: try row.optionalString("subject"), body: try row.string("body"),
            html: try row.optionalString("html"), link: try row.optionalString("link"),
            unsubscribeURL: try row.optionalString("unsubscribe_url"), critical: try row.bool("critical"),
            locale: try row.string("locale"), state: DeliveryState(rawValue: try row.string("state")) ?? .queued,
            attempts: try row.int("attempts"), dueAt: try row.optionalDate("due_at"), detail: try row.optionalString("detail"),
            providerID: try row.optionalString("provider_id"), createdAt: try row.date("created_at"), sentAt: try row.optionalDate("sent_at"))
    }
}
