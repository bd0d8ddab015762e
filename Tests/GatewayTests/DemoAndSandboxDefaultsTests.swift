import Billing
import Logging
import Platform
import Storage
import Synchronization
import TestSupport
import Testing

/// Demo data and the sandbox payment provider default to on only in the embedded default (SQLite, no database URL).
@Suite("Demo data and sandbox defaults")
struct DemoAndSandboxDefaultsTests {
    private static let postgres = "postgres://lastmile:secret@db.internal:5432/lastmile"

    private func load(_ values: [String: String]) async throws -> PlatformSettings {
        try await PlatformSettings.load(overrides: values, environmentFile: "/nonexistent/.env")
    }

    @Test func theEmbeddedDefaultHasDemoDataAndTheSandbox() async throws {
        let settings = try await load(["LASTMILE_DATABASE_URL": ""])
        #expect(settings.isEmbeddedDefault)
        #expect(settings.demoData && settings.sandboxPayments)
        #expect(settings.startWarnings.isEmpty)
    }

    @Test func postgreSQLHasNeitherUnlessAskedFor() async throws {
        let settings = try await load(["LASTMILE_DATABASE_URL": Self.postgres])
        #expect(!settings.isEmbeddedDefault)
        #expect(!settings.demoData && !settings.sandboxPayments)
        #expect(settings.billing.providerSecrets["sandbox"] == "")
        #expect(settings.startWarnings.isEmpty)
    }

    @Test func aServicesOwnDatabaseIsNotTheEmbeddedDefaultEither() async throws {
        let settings = try await load([
            "LASTMILE_DATABASE_URL": "", "LASTMILE_BILLING_DATABASE_URL": Self.postgres, "LASTMILE_AMQP_URL": "amqp://guest:guest@localhost/",
        ])
        #expect(!settings.demoData && !settings.sandboxPayments)
    }

    @Test func explicitSettingsWinOnEitherDatabase() async throws {
        let onPostgres = try await load([
            "LASTMILE_DATABASE_URL": Self.postgres, "LASTMILE_DEMO_DATA": "true", "LASTMILE_SANDBOX_PAYMENTS": "true",
        ])
        #expect(onPostgres.demoData && onPostgres.sandboxPayments)
        let embedded = try await load(["LASTMILE_DATABASE_URL": "", "LASTMILE_DEMO_DATA": "false", "LASTMILE_SANDBOX_PAYMENTS": "false"])
        #expect(!embedded.demoData && !embedded.sandboxPayments)
    }

    @Test func theSandboxOnPostgreSQLIsWarnedAboutOnceAtWarningLevel() async throws {
        let settings = try await load(["LASTMILE_DATABASE_URL": Self.postgres, "LASTMILE_SANDBOX_PAYMENTS": "true"])
        let recorder = WarningRecorder()
        settings.logStartWarnings(to: recorder.logger())
        let lines = recorder.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first.map { $0.level >= .warning } == true)
        #expect(lines.first?.message.contains("anyone can pay with fake money") == true)
    }

    @Test(arguments: DatabaseKind.available)
    func aFirstStartWithADatabaseURLCreatesNoDemoUsers(_ kind: DatabaseKind) async throws {
        let configured = try await load([
            "LASTMILE_DATABASE_URL": DatabaseKind.postgresURL ?? Self.postgres, "LASTMILE_BCRYPT_COST": "4", "LASTMILE_DEMO_CUSTOMERS": "3",
        ])
        let embedded = try await load(["LASTMILE_DATABASE_URL": "", "LASTMILE_BCRYPT_COST": "4", "LASTMILE_DEMO_CUSTOMERS": "3"])
        for (settings, seeds) in [(configured, false), (embedded, true)] {
            try await TestDatabases.with(kind) { database in
                let platform = Platform(settings: settings, database: database, logger: TestDatabases.logger)
                let demo = try await platform.prepare()
                #expect((demo != nil) == seeds)
                let users = try await database.first("SELECT COUNT(*) AS n FROM users")?.int("n")
                #expect(seeds ? users ?? 0 > 0 : users == 0)
            }
        }
    }

    @Test func aServerStartWarnsOnceWhenItServesTheSandboxOnPostgreSQL() async throws {
        let settings = try await load(["LASTMILE_DATABASE_URL": Self.postgres, "LASTMILE_SANDBOX_PAYMENTS": "true"])
        try await TestDatabases.with(.sqlite) { database in
            let recorder = WarningRecorder()
            let platform = Platform(settings: settings, database: database, logger: recorder.logger())
            _ = platform.application()
            let warnings = recorder.lines.withLock { $0.filter { $0.level >= .warning } }
            #expect(warnings.count == 1)
            #expect(warnings.first?.message.contains("anyone can pay with fake money") == true)
        }
    }

    @Test func noWarningWithoutTheSandbox() async throws {
        let settings = try await load(["LASTMILE_DATABASE_URL": Self.postgres])
        let recorder = WarningRecorder()
        settings.logStartWarnings(to: recorder.logger())
        #expect(recorder.lines.withLock { $0.isEmpty })
    }
}

/// Keeps every log line's level and message.
private final class WarningRecorder: Sendable {
    let lines = Mutex<[(level: Logger.Level, message: String)]>([])

    func logger() -> Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: WarningRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.lines.withLock { $0.append((event.level, event.message.description)) }
        }
    }
}
