import ArgumentParser
import Logging
import Platform
import Storage

/// `lastmile migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try await common.settings()
        let logger = Logger(label: "lastmile.migrate")
        let applied = try await DatabaseFactory.withDatabase(url: settings.databaseURL, dataDirectory: settings.dataDirectory, logger: logger) {
            try await Migrator(database: $0, logger: logger).migrate(Platform.migrations)
        }
        print(applied.isEmpty ? "Nothing to apply." : "Applied:\n" + applied.map { "  \($0)" }.joined(separator: "\n"))
    }
}
