import Foundation
import Storage

/// A login session, as its `sessions` row holds it.
public struct SessionRecord: Sendable, Hashable, Decodable {
    /// The session id (the access token's `sid`).
    public var id: String
    /// Whose session it is.
    public var userID: String
    /// Device description from login.
    public var device: String
    /// IP address at login.
    public var ipAddress: String
    /// When it began.
    public var createdAt: Date
    /// Last recorded use.
    public var lastSeenAt: Date
    /// When it ends unless refreshed.
    public var expiresAt: Date
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        id: String, userID: String, device: String, ipAddress: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.device = device
        self.ipAddress = ipAddress
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the session still admits requests at `now`.
    public func isActive(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

/// Where sessions live: the database by default (a restart logs nobody out), Redis later.
public protocol SessionStore: Sendable {
    /// Stores a new session.
    func create(_ session: SessionRecord) async throws
    /// The session with that id, revoked or not.
    func find(id: String) async throws -> SessionRecord?
    /// Records use and, optionally, a new expiry.
    func touch(id: String, lastSeenAt: Date, expiresAt: Date?) async throws
    /// Revokes one session.
    func revoke(id: String, at time: Date) async throws
    /// Revokes every session of the user except `keep`; returns the ids revoked.
    @discardableResult
    func revokeAll(userID: String, except keep: String?, at time: Date) async throws -> [String]
    /// The user's active sessions, newest first.
    func active(userID: String, at now: Date) async throws -> [SessionRecord]
}

/// Sessions in the `sessions` table.
public struct DatabaseSessionStore: SessionStore {
    private let database: any Database
    private static let columns = "id, user_id, device, ip_address, created_at, last_seen_at, expires_at, revoked_at"

    /// Creates the store.
    public init(database: any Database) { self.database = database }

    /// Inserts the session.
    public func create(_ session: SessionRecord) async throws {
        try await database.query(
            """
            INSERT INTO sessions (id, user_id, device, ip_address, created_at, last_seen_at, expires_at, revoked_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            session.id, session.userID, session.device, session.ipAddress, session.createdAt, session.lastSeenAt, session.expiresAt,
            session.revokedAt)
    }

    /// Reads one session.
    public func find(id: String) async throws -> SessionRecord? {
        try await database.query(Self.findSQL, id).first.map(Self.record)
    }

    /// Read on every authenticated request, so kept prepared.
    private static let findSQL = PreparedSQL("SELECT \(columns) FROM sessions WHERE id = $1")

    /// Updates last use and expiry. A new expiry is announced (see ``announced(_:)``); last use is not, as other
    /// processes' cached copies only use it to space out their own updates.
    public func touch(id: String, lastSeenAt: Date, expiresAt: Date?) async throws {
        if let expiresAt {
            try await database.query(
                announced("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1 RETURNING id"), id, lastSeenAt, expiresAt)
        } else {
            try await database.query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", id, lastSeenAt)
        }
    }

    /// Marks one session revoked, and announces it.
    public func revoke(id: String, at time: Date) async throws {
        try await database.query(
            announced("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id"), id, time)
    }

    /// Marks the user's sessions revoked, and announces each.
    public func revokeAll(userID: String, except keep: String?, at time: Date) async throws -> [String] {
        try await database.query(
            announced("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $3 RETURNING id"),
            userID, time, keep ?? ""
        ).map { try $0.string("id") }
    }

    /// The PostgreSQL channel on which every change to a session's revocation or expiry is announced, with the
    /// session id as payload, when the change commits. Processes caching sessions listen on it.
    public static let changeChannel = "lastmile_sessions"

    /// `update` (which returns `id`) wrapped, on PostgreSQL, so that each changed session's id is also sent with
    /// `pg_notify` on ``changeChannel``. PostgreSQL delivers it when the surrounding transaction commits, and only
    /// then. SQLite has no other process to tell.
    private func announced(_ update: String) -> String {
        guard database.dialect == .postgres else { return update }
        return "WITH changed AS (\(update)) SELECT id, pg_notify('\(Self.changeChannel)', id)::text AS announced FROM changed"
    }

    /// Lists active sessions.
    public func active(userID: String, at now: Date) async throws -> [SessionRecord] {
        try await database.query(
            "SELECT \(Self.columns) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
            userID, now
        ).map(Self.record)
    }

    private static func record(_ row: SQLRow) throws -> SessionRecord { try row.decode(SessionRecord.self) }
}
