import ArgumentParser
import Logging
import Platform
import Storage

/// `lastmile migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations.",
        discussion: """
            Each service's tables go to its database (LASTMILE_<SERVICE>_DATABASE_URL, else LASTMILE_DATABASE_URL). With \
            LASTMILE_AMQP_URL it also declares each service's event queues on RabbitMQ, so that no event published before \
            a consumer's process first starts is lost.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("service"), help: "Only these services' databases, comma-separated (auth, customers, billing).")
    var services: String?

    func run() async throws {
        let settings = try await common.settings(extra: ["LASTMILE_SERVICES": ServiceRole.allCases.map(\.rawValue).joined(separator: ",")])
        let roles: Set<ServiceRole>
        do {
            roles = try services.map { try ServiceRole.parseList($0, key: "--service") } ?? Set(ServiceRole.services)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
        let logger = Logger(label: "lastmile.migrate")
        let databases = try await Platform.openDatabases(settings: settings, roles: roles, logger: logger)
        // Services that share a database migrate it together, Storage's tables first.
        var groups: [(database: any Database, sets: [MigrationSet])] = []
        for role in ServiceRole.services {
            guard let database = databases[role] else { continue }
            let sets = Platform.migrations(of: role)
            if let index = groups.firstIndex(where: { $0.database as AnyObject === database as AnyObject }) {
                groups[index].sets += sets
            } else {
                groups.append((database, [StorageMigrations.set] + sets))
            }
        }
        var applied: [String] = []
        for group in groups {
            let sets = group.sets
            applied += try await DatabaseFactory.run(group.database) { database in
                try await Migrator(database: database, logger: logger).migrate(sets)
            }
        }
        print(applied.isEmpty ? "Nothing to apply." : "Applied:\n" + applied.map { "  \($0)" }.joined(separator: "\n"))
        let queues = try await Platform.declareEventTopology(settings: settings, databases: databases, logger: logger)
        if !queues.isEmpty { print("Event queues declared: \(queues.joined(separator: ", ")).") }
    }
}
