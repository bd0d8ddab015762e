import ArgumentParser
import Auth
import Contracts
import Customers
import Foundation
import Kernel
import Logging
import Platform
import Storage

/// `lastmile demo …`: demo and benchmark data.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create demo data.", subcommands: [Seed.self])

    /// `lastmile demo seed --customers N`: realistic Russian customers with their first contracts.
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create customers with contracts (Russian names and addresses), user accounts, billing accounts and subscriptions.")

        @OptionGroup var common: CommonOptions

        @Option(help: "How many customers to create.")
        var customers = 1000

        @Option(help: "Generator seed: the same seed gives the same people.")
        var seed: UInt64 = 1

        @Option(help: "Index of the first generated customer, to add to a set seeded before.")
        var start = 0

        @Option(help: "Customers per batch.")
        var batchSize = 10_000

        @Option(help: "Batches in flight at once on PostgreSQL (each on its own pooled connections).")
        var concurrency = 2

        @Option(help: "Write customer_id,user_id,contract_id,contract_number,email per customer to this CSV file.")
        var idsOutput: String?

        func run() async throws {
            let (count, seed, start, batchSize, concurrency) = (customers, seed, start, batchSize, concurrency)
            let output = try idsOutput.map { try CSVOutput(path: $0) }
            let progress = Progress(total: count)
            let timings = DemoTimings()
            let started = ContinuousClock.now
            let inserted = try await common.withPlatform(label: "lastmile.demo") { platform in
                try await platform.localServices().auth.start()
                return try await DemoData.seedCustomers(
                    count: count, seed: seed, startingAt: start, batchSize: batchSize, concurrency: concurrency, platform: platform,
                    timings: timings,
                    onBatch: { batch in
                        try await output?.write(batch)
                        await progress.add(batch.count)
                    })
            }
            try await output?.close()
            let elapsed = (ContinuousClock.now - started).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            FileHandle.standardError.write(Data("\n".utf8))
            print(
                String(
                    format: "Created %d customers with contracts, users, billing accounts and subscriptions in %.1f s (%.0f per second).",
                    inserted, seconds, Double(inserted) / max(seconds, 0.001)))
            print("Time per stage, summed over the batches in flight: \(timings.summary).")
        }
    }
}

/// Counts inserted customers and shows the count on standard error.
private actor Progress {
    let total: Int
    var done = 0

    init(total: Int) { self.total = total }

    func add(_ count: Int) {
        done += count
        FileHandle.standardError.write(Data("\r  \(done) / \(total) customers".utf8))
    }
}

/// The seeded ids, one CSV line per customer.
private actor CSVOutput {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data("customer_id,user_id,contract_id,contract_number,email\n".utf8)) else {
            throw CommandFailure("Cannot create \(path).")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CommandFailure("Cannot open \(path).") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ batch: [DemoSeededCustomer]) throws {
        let lines = batch.map { "\($0.customerId),\($0.userId),\($0.contractId),\($0.contractNumber),\($0.email)\n" }.joined()
        try handle.write(contentsOf: Data(lines.utf8))
    }

    func close() throws { try handle.close() }
}
