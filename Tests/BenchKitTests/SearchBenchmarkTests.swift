import BenchKit
import Customers
import Foundation
import Storage
import TestSupport
import Testing

@Suite("Operator search benchmark")
struct SearchBenchmarkTests {
    /// The seeded customers have time-ordered ids; every sample must still find a customer, so each kind of key is
    /// timed as many times as asked.
    @Test(arguments: DatabaseKind.available)
    func everySampleIsSearchedFor(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, CustomersMigrations.set]) { database in
            try await DemoLoader(database: database).load(count: 200, seed: 11, batchSize: 100)
            let report = try await SearchBenchmark(database: database).run(samples: 12)
            let rows = report.split(separator: "\n").dropFirst(2)
            #expect(rows.count >= 5, "\(report)")
            for row in rows {
                let columns = row.split(separator: " ", omittingEmptySubsequences: true)
                let label = row.prefix(34).trimmingCharacters(in: .whitespaces)
                // The second page of a family name exists only for common names: fewer samples may reach it.
                let samples = Int(columns[columns.count - 6]) ?? 0
                if label.hasSuffix("page 2") { #expect(samples <= 12, "\(row)") } else { #expect(samples == 12, "\(row)") }
            }
        }
    }

    /// Without customers the report says how to get some.
    @Test func anEmptyDatabaseSaysSo() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, CustomersMigrations.set]) { database in
            let report = try await SearchBenchmark(database: database).run(samples: 3)
            #expect(report.hasPrefix("No customers"))
        }
    }
}
