import ArgumentParser
import Foundation
import Logging
import Platform
import ServerKit
import Storage

/// Flags every command shares; each overrides the matching environment variable.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded SQLite database (LASTMILE_DATA_DIR).")
    var dataDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (LASTMILE_LOG_LEVEL).")
    var logLevel: String?

    var overrides: [String: String] {
        var values: [String: String] = [:]
        values["LASTMILE_DATA_DIR"] = dataDirectory
        values["LASTMILE_LOG_LEVEL"] = logLevel
        return values
    }

    /// Loads the settings and sets up logging.
    func settings(extra: [String: String] = [:]) async throws -> PlatformSettings {
        let settings: PlatformSettings
        do {
            settings = try await PlatformSettings.load(overrides: overrides.merging(extra) { $1 })
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
        let level = settings.logLevel
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = BufferedLogHandler(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }, metadataProvider: RequestMetadata.provider)
        return settings
    }

    /// Runs `body` with every service in this process over its configured, migrated database, then closes the databases.
    func withPlatform<Result: Sendable>(label: String, _ body: @escaping @Sendable (Platform) async throws -> Result) async throws -> Result {
        // Operator commands work on the databases directly, whatever roles the environment gives the servers.
        let settings = try await settings(extra: ["LASTMILE_SERVICES": ServiceRole.allCases.map(\.rawValue).joined(separator: ",")])
        return try await Platform.withServices(settings: settings, logger: Logger(label: label), body)
    }
}
