import Foundation
import RESP
import Storage

/// Sessions in Redis (seed: "Сохранение сессии в Redis"): one hash per session, expiring with it, and a set of
/// session ids per user for "log out everywhere" and the session list. Shared by every gateway replica, so a
/// revocation anywhere applies everywhere on the next request. When Redis is down every call throws, and the
/// auth service answers protected requests with 503 (fail closed).
public struct RedisSessionStore: SessionStore {
    private let redis: any RESPCommandExecutor
    private let prefix: String
    /// How long a session's record outlives its expiry, so a late request is told "revoked", not "unknown".
    private let retention: TimeInterval = 24 * 3600

    /// Creates the store; keys start with `prefix`.
    public init(redis: any RESPCommandExecutor, prefix: String = "lastmile:") {
        self.redis = redis
        self.prefix = prefix
    }

    private func sessionKey(_ id: String) -> String { prefix + "session:" + id }
    private func userKey(_ userID: String) -> String { prefix + "user-sessions:" + userID }

    private static func micros(_ date: Date) -> String { String(date.microsecondsSince1970) }

    private static let createScript = RESPScript(
        """
        redis.call('HSET', KEYS[1], 'user', ARGV[1], 'device', ARGV[2], 'ip', ARGV[3], 'created', ARGV[4], 'seen', ARGV[5], 'expires', ARGV[6])
        redis.call('PEXPIREAT', KEYS[1], ARGV[7])
        redis.call('SADD', KEYS[2], ARGV[8])
        return 1
        """)

    /// Stores the session and indexes it under its user, atomically.
    public func create(_ session: SessionRecord) async throws {
        _ = try await redis.run(
            Self.createScript, keys: [sessionKey(session.id), userKey(session.userID)],
            arguments: [
                session.userID, session.device, session.ipAddress, Self.micros(session.createdAt), Self.micros(session.lastSeenAt),
                Self.micros(session.expiresAt), String(expiry(of: session.expiresAt)), session.id,
            ])
    }

    /// Reads one session.
    public func find(id: String) async throws -> SessionRecord? {
        let fields = try await redis.hgetall(sessionKey(id))
        return Self.record(id: id, fields)
    }

    private static let touchScript = RESPScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'seen', ARGV[1])
        if ARGV[2] ~= '' then
            redis.call('HSET', KEYS[1], 'expires', ARGV[2])
            redis.call('PEXPIREAT', KEYS[1], ARGV[3])
        end
        return 1
        """)

    /// Records use and, optionally, a new expiry.
    public func touch(id: String, lastSeenAt: Date, expiresAt: Date?) async throws {
        _ = try await redis.run(
            Self.touchScript, keys: [sessionKey(id)],
            arguments: [Self.micros(lastSeenAt), expiresAt.map(Self.micros) ?? "", expiresAt.map { String(expiry(of: $0)) } ?? ""])
    }

    private static let revokeScript = RESPScript(
        """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if redis.call('HEXISTS', KEYS[1], 'revoked') == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'revoked', ARGV[1])
        return 1
        """)

    /// Marks one session revoked.
    public func revoke(id: String, at time: Date) async throws {
        _ = try await redis.run(Self.revokeScript, keys: [sessionKey(id)], arguments: [Self.micros(time)])
    }

    private static let revokeAllScript = RESPScript(
        """
        local revoked = {}
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            local key = ARGV[3] .. id
            if id ~= ARGV[2] and redis.call('EXISTS', key) == 1 and redis.call('HEXISTS', key, 'revoked') == 0 then
                redis.call('HSET', key, 'revoked', ARGV[1])
                table.insert(revoked, id)
            end
        end
        return revoked
        """)

    /// Marks every session of the user but `keep` revoked, atomically; returns their ids.
    @discardableResult
    public func revokeAll(userID: String, except keep: String?, at time: Date) async throws -> [String] {
        let reply = try await redis.run(
            Self.revokeAllScript, keys: [userKey(userID)], arguments: [Self.micros(time), keep ?? "", prefix + "session:"])
        return (reply.array ?? []).compactMap(\.string)
    }

    /// The user's active sessions, newest first; ids whose records are gone are dropped from the index.
    public func active(userID: String, at now: Date) async throws -> [SessionRecord] {
        var sessions: [SessionRecord] = []
        for id in try await redis.smembers(userKey(userID)) {
            guard let session = Self.record(id: id, try await redis.hgetall(sessionKey(id))) else {
                _ = try await redis.send(["SREM", userKey(userID), id])
                continue
            }
            if session.isActive(at: now) { sessions.append(session) }
        }
        return sessions.sorted { $0.createdAt > $1.createdAt }
    }

    private func expiry(of expiresAt: Date) -> Int64 {
        Int64((expiresAt.addingTimeInterval(retention).timeIntervalSince1970 * 1000).rounded(.up))
    }

    private static func record(id: String, _ fields: [String: String]) -> SessionRecord? {
        func date(_ name: String) -> Date? { fields[name].flatMap(Int64.init).map(Date.init(microsecondsSince1970:)) }
        guard let user = fields["user"], let created = date("created"), let seen = date("seen"), let expires = date("expires") else {
            return nil
        }
        return SessionRecord(
            id: id, userID: user, device: fields["device"] ?? "", ipAddress: fields["ip"] ?? "", createdAt: created, lastSeenAt: seen,
            expiresAt: expires, revokedAt: date("revoked"))
    }
}
