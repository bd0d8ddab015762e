import AMQP
import AsyncHTTPClient
import Clients
import Logging
import Messaging
import NIOCore
import Notifications
import RESP
import ServerKit
import Storage

extension Platform {
    /// Opens what the settings name — each local service's database (once per URL), Redis, RabbitMQ, the service
    /// clients — and builds the platform.
    public static func open(settings: PlatformSettings, logger: Logger) async throws -> Platform {
        // Read before any database opens, so that a bad URL or TLS file stops the start with nothing left to close.
        let redisConfiguration = try settings.redisURL.map { url in
            try SettingsError.naming("LASTMILE_REDIS_URL", tlsCAFile: settings.redisTLSCAFile, "LASTMILE_REDIS_TLS_CA_FILE") {
                try RESPConfiguration(url: url, tlsCAFile: settings.redisTLSCAFile)
            }
        }
        let amqpConfiguration = try settings.amqpURL.map { url in
            try SettingsError.naming("LASTMILE_AMQP_URL", tlsCAFile: settings.amqpTLSCAFile, "LASTMILE_AMQP_TLS_CA_FILE") {
                try AMQPConfiguration(url: url, tlsCAFile: settings.amqpTLSCAFile)
            }
        }
        let distributed = settings.distributed
        var serviceKeys: ServiceKeys?
        if let key = distributed.serviceKey {
            do {
                serviceKeys = try await ServiceKeys(current: key, previous: distributed.previousServiceKey)
            } catch {
                throw SettingsError(key: "LASTMILE_SERVICE_KEY", reason: "\(error)")
            }
        }
        let databases = try await openDatabases(settings: settings, roles: distributed.roles, logger: logger)
        let redis = redisConfiguration.map { RESPClient(configuration: $0, logger: logger) }
        var rabbit: RabbitMQ?
        if let amqpConfiguration {
            let client = AMQPClient(configuration: amqpConfiguration, logger: logger)
            rabbit = RabbitMQ(client: client, transport: try await AMQPEventTransport(client: client))
        }
        let needsClients = ServiceRole.services.contains { !distributed.roles.contains($0) && distributed.urls[$0] != nil }
        var http: HTTPClient?
        if needsClients {
            http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: RemoteService.httpConfiguration())
        }
        return Platform(
            settings: settings, databases: databases, redis: redis, rabbit: rabbit, serviceKeys: serviceKeys, http: http, logger: logger)
    }

    /// Opens the database of each service among `roles`: `LASTMILE_<SERVICE>_DATABASE_URL`, else
    /// `LASTMILE_DATABASE_URL`, else the embedded SQLite file; services with the same URL share one pool.
    public static func openDatabases(settings: PlatformSettings, roles: Set<ServiceRole>, logger: Logger) async throws -> [ServiceRole: any Database]
    {
        var opened: [String: any Database] = [:]
        var databases: [ServiceRole: any Database] = [:]
        do {
            // A gateway without auth and without Redis reads sessions from auth's database.
            let sessionsFromDatabase = roles.contains(.gateway) && !roles.contains(.auth) && settings.redisURL == nil
            for role in ServiceRole.allCases where roles.contains(role) && (role != .gateway || sessionsFromDatabase) {
                let url = settings.distributed.databaseURLs[role == .gateway ? .auth : role] ?? settings.databaseURL
                let key = url ?? "embedded"
                if opened[key] == nil {
                    opened[key] = try await DatabaseFactory.open(url: url, dataDirectory: settings.dataDirectory, logger: logger)
                }
                databases[role] = opened[key]
            }
        } catch {
            for database in opened.values { try? await database.close() }
            throw error
        }
        return databases
    }

    /// For operator commands: every service in this process over its migrated database (or databases), with no broker
    /// and no HTTP server; the pools run while `body` does and close after it.
    public static func withServices<Result: Sendable>(
        settings: PlatformSettings, logger: Logger, _ body: @escaping @Sendable (Platform) async throws -> Result
    ) async throws -> Result {
        var settings = settings
        settings.distributed.roles = Set(ServiceRole.allCases)
        let databases = try await openDatabases(settings: settings, roles: settings.distributed.roles, logger: logger)
        let platform = Platform(settings: settings, databases: databases, redis: nil, rabbit: nil, serviceKeys: nil, http: nil, logger: logger)
        // The payment providers' HTTP client must be shut down before it is released (AsyncHTTPClient traps otherwise),
        // whether the command succeeded or not.
        let result: Result
        do {
            result = try await running(platform.databases) {
                try await platform.migrate()
                return try await body(platform)
            }
        } catch {
            try? await platform.providerHTTP?.shutdown()
            await platform.channelHTTP?.shutdown()
            throw error
        }
        try await platform.providerHTTP?.shutdown()
        await platform.channelHTTP?.shutdown()
        return result
    }

    /// Keeps every pool in `databases` running while `body` runs, then closes them.
    private static func running<Result: Sendable>(
        _ databases: [any Database], _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        guard let first = databases.first else { return try await body() }
        let rest = Array(databases.dropFirst())
        return try await DatabaseFactory.run(first) { _ in try await running(rest, body) }
    }
}
