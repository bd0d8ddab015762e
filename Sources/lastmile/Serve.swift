import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Platform
import ServerKit
import ServiceLifecycle
import Storage
import UnixSignals

/// `lastmile serve`: every service and the gateway in one process, or the ones `--service` names.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the platform (embedded defaults unless configured).",
        discussion: """
            Without --service everything runs in this process. With it, only the named roles do (gateway, auth, \
            customers, billing, comma-separated); the others are reached at LASTMILE_<SERVICE>_URL, and processes \
            trust each other through LASTMILE_SERVICE_KEY. See docs/operations.md.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on (LASTMILE_HOST).")
    var host: String?

    @Option(help: "Port to listen on (LASTMILE_PORT).")
    var port: Int?

    @Option(name: .customLong("service"), help: "Roles to run, comma-separated: gateway, auth, customers, billing (LASTMILE_SERVICES).")
    var services: String?

    func run() async throws {
        var extra: [String: String] = [:]
        extra["LASTMILE_HOST"] = host
        extra["LASTMILE_PORT"] = port.map(String.init)
        extra["LASTMILE_SERVICES"] = services
        let settings = try await common.settings(extra: extra)
        let logger = Logger(label: "lastmile")
        let platform = try await Platform.open(settings: settings, logger: logger)
        let database = settings.databaseURL == nil ? "SQLite in \(settings.dataDirectory)" : "PostgreSQL"
        let storage = settings.redisURL == nil ? database : database + ", sessions and rate limits in Redis"
        let roles = settings.distributed.isAllInOne ? "" : " as \(settings.distributed.roles.sorted().map(\.rawValue).joined(separator: ", "))"
        let app = platform.application { demo, port in
            var lines = ["LastMile is running\(roles) at http://\(settings.host):\(port) (storage: \(storage))"]
            if let demo {
                lines += [
                    "Demo logins, created now; the passwords are shown only this once:",
                    "  admin     \(demo.adminEmail)  \(demo.adminPassword)",
                    "  customer  \(demo.customerEmail)  \(demo.customerPassword)",
                ]
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        // Readiness turns false at the first signal, before the service group begins to stop anything.
        let watcher = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                platform.draining.begin()
                break
            }
        }
        defer { watcher.cancel() }
        do {
            try await app.runService()
        } catch {
            try? await platform.closeDatabases()
            throw error
        }
        try await platform.closeDatabases()
    }
}
