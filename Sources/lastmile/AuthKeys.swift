import ArgumentParser
import Auth
import Logging
import Platform
import Storage

/// `lastmile auth-keys rotate`: a new signing key; the old one verifies until its tokens expire.
struct AuthKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth-keys", abstract: "Manage the keys that sign access tokens.", subcommands: [Rotate.self])

    /// Starts signing with a fresh key.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign new tokens with a fresh key; old tokens stay valid until they expire.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let settings = try await common.settings()
            let logger = Logger(label: "lastmile.keys")
            let kid = try await DatabaseFactory.withDatabase(url: settings.databaseURL, dataDirectory: settings.dataDirectory, logger: logger) {
                database in
                let platform = Platform(settings: settings, database: database, logger: logger)
                try await Migrator(database: database, logger: logger).migrate(Platform.migrations)
                try await platform.auth.start()
                return try await platform.auth.rotateSigningKey()
            }
            print("New signing key \(kid). Running servers pick it up within seconds.")
        }
    }
}
