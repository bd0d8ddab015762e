import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Platform
import Storage

/// `lastmile serve`: every service and the gateway in one process.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the platform (embedded defaults unless configured).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (LASTMILE_HOST).")
    var host: String?

    @Option(help: "Port to listen on (LASTMILE_PORT).")
    var port: Int?

    func run() async throws {
        var extra: [String: String] = [:]
        extra["LASTMILE_HOST"] = host
        extra["LASTMILE_PORT"] = port.map(String.init)
        let settings = try await common.settings(extra: extra)
        let logger = Logger(label: "lastmile")
        let platform = try await Platform.open(settings: settings, logger: logger)
        let database = settings.databaseURL == nil ? "SQLite in \(settings.dataDirectory)" : "PostgreSQL"
        let storage = settings.redisURL == nil ? database : database + ", sessions and rate limits in Redis"
        let app = platform.application { demo, port in
            var lines = ["LastMile is running at http://\(settings.host):\(port) (storage: \(storage))"]
            if let demo {
                lines += [
                    "Demo logins, created now; the passwords are shown only this once:",
                    "  admin     \(demo.adminEmail)  \(demo.adminPassword)",
                    "  customer  \(demo.customerEmail)  \(demo.customerPassword)",
                ]
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        do {
            try await app.runService()
        } catch {
            try? await platform.database.close()
            throw error
        }
        try await platform.database.close()
    }
}
