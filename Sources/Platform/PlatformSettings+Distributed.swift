import Configuration
import Foundation
import Kernel

/// Where each service runs and how processes reach and trust each other (the distributed mode).
public struct DistributedSettings: Sendable {
    /// The roles this process runs; all of them (the default) is the all-in-one mode.
    public var roles = Set(ServiceRole.allCases)
    /// Base URLs of each service's replicas, for the roles this process calls but does not run.
    public var urls: [ServiceRole: [String]] = [:]
    /// A service's own database, when it has one (`LASTMILE_<SERVICE>_DATABASE_URL`).
    public var databaseURLs: [ServiceRole: String] = [:]
    /// The shared secret of service tokens, and the previous one during a rotation.
    public var serviceKey: [UInt8]?
    /// The previous shared secret, still accepted.
    public var previousServiceKey: [UInt8]?
    /// The longest a call to another service may take.
    public var callTimeout: Duration = .seconds(10)

    /// The defaults: everything in one process.
    public init() {}

    /// Whether everything runs in this process.
    public var isAllInOne: Bool { roles == Set(ServiceRole.allCases) }

    /// Reads `LASTMILE_SERVICES`, `LASTMILE_<SERVICE>_URL`, `LASTMILE_<SERVICE>_DATABASE_URL`, `LASTMILE_SERVICE_KEY`
    /// (or `_FILE`), `LASTMILE_SERVICE_KEY_PREVIOUS` and `LASTMILE_SERVICE_TIMEOUT_MS`.
    init(reader config: ConfigReader) throws {
        if let list = config.string(forKey: "lastmile.services"), !list.isEmpty {
            roles = try ServiceRole.parseList(list, key: "LASTMILE_SERVICES")
        }
        for role in ServiceRole.services {
            let name = role.rawValue
            if let list = config.string(forKey: ConfigKey(["lastmile", name, "url"])), !list.isEmpty {
                let bases = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for base in bases {
                    guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                        throw SettingsError(key: "\(role.settingsPrefix)_URL", reason: "not an http(s) URL: \(base)")
                    }
                }
                urls[role] = bases
            }
            if let url = config.string(forKey: ConfigKey(["lastmile", name, "database", "url"]), isSecret: true), !url.isEmpty {
                databaseURLs[role] = url
            }
        }
        serviceKey = try Self.key(config, "lastmile.service.key", file: "lastmile.service.key.file", name: "LASTMILE_SERVICE_KEY")
        previousServiceKey = try Self.key(config, "lastmile.service.key.previous", file: nil, name: "LASTMILE_SERVICE_KEY_PREVIOUS")
        let timeout = config.int(forKey: "lastmile.service.timeout.ms", default: 10_000)
        guard (100...120_000).contains(timeout) else {
            throw SettingsError(key: "LASTMILE_SERVICE_TIMEOUT_MS", reason: "must be 100–120000, not \(timeout)")
        }
        callTimeout = .milliseconds(timeout)
    }

    /// Checks that a process of these roles has what it needs, given the rest of the settings.
    func validate(databaseURL: String?, redisURL: String?, amqpURL: String?) throws {
        if let role = databaseURLs.keys.sorted().first, amqpURL == nil {
            throw SettingsError(
                key: "\(role.settingsPrefix)_DATABASE_URL",
                reason: "services with databases of their own exchange events through RabbitMQ: set LASTMILE_AMQP_URL")
        }
        guard !isAllInOne else { return }
        guard amqpURL != nil else {
            throw SettingsError(key: "LASTMILE_AMQP_URL", reason: "required when services run in separate processes: events travel through RabbitMQ")
        }
        guard serviceKey != nil else {
            throw SettingsError(
                key: "LASTMILE_SERVICE_KEY", reason: "required when services run in separate processes (openssl rand -base64 32)")
        }
        if roles.contains(.gateway) {
            for role in ServiceRole.services where !roles.contains(role) && urls[role] == nil {
                throw SettingsError(key: "\(role.settingsPrefix)_URL", reason: "the gateway needs the \(role) service's address")
            }
            guard redisURL != nil || (!roles.contains(.auth) && (databaseURLs[.auth] ?? databaseURL) != nil) else {
                throw SettingsError(
                    key: "LASTMILE_REDIS_URL",
                    reason: "a gateway reads sessions from Redis (recommended: gateways then share rate limits) or auth's database")
            }
        }
        if roles.contains(.notifications) {
            // People's addresses come from their cards and profiles: notifications ask customers and auth.
            for role in [ServiceRole.customers, .auth] where !roles.contains(role) && urls[role] == nil {
                throw SettingsError(key: "\(role.settingsPrefix)_URL", reason: "the notifications service finds people through the \(role) service")
            }
        }
        for role in ServiceRole.services where roles.contains(role) && (databaseURLs[role] ?? databaseURL) == nil {
            throw SettingsError(key: "LASTMILE_DATABASE_URL", reason: "the \(role) service needs PostgreSQL when it runs on its own")
        }
    }

    private static func key(_ config: ConfigReader, _ key: ConfigKey, file: ConfigKey?, name: String) throws -> [UInt8]? {
        var text = config.string(forKey: key, isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        if text == nil, let file, let path = config.string(forKey: file), !path.isEmpty {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw SettingsError(key: name + "_FILE", reason: "no readable file at \(path)")
            }
            text = String(decoding: contents, as: UTF8.self)
        }
        guard let text else { return nil }
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32 else {
            throw SettingsError(key: name, reason: "must be base64 of at least 32 random bytes (openssl rand -base64 32)")
        }
        return Array(bytes)
    }
}
