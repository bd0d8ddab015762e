import ArgumentParser
import BenchKit
import Customers
import Foundation
import Storage

/// `lastmile-bench search`: operator search latency by kind of key, over the customers a database holds.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Measure operator search latency for each kind of key over the customers in a database.")

    @Option(help: "PostgreSQL URL (default: $LASTMILE_DATABASE_URL); without one, SQLite in --data-dir.")
    var databaseURL: String?

    @Option(help: "Data folder of the SQLite file (default: $LASTMILE_DATA_DIR or ./data).")
    var dataDir: String?

    @Option(help: "Samples per kind of key.")
    var samples = 200

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = benchLogger()
        let samples = samples
        let report = try await DatabaseFactory.withDatabase(
            url: databaseURL ?? environment["LASTMILE_DATABASE_URL"], dataDirectory: dataDir ?? environment["LASTMILE_DATA_DIR"] ?? "./data",
            logger: logger
        ) { database in
            try await Migrator(database: database, logger: logger).migrate([StorageMigrations.set, CustomersMigrations.set])
            return try await SearchBenchmark(database: database).run(samples: samples)
        }
        print(report)
    }
}
