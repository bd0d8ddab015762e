import Contracts
import Foundation
import Kernel
import Storage

/// One customer the loader created, with the ids the rest of the platform needs to attach to it (a user account,
/// a billing account and subscription).
public struct DemoSeededCustomer: Sendable, Hashable {
    /// Position in the generated set.
    public var index: Int
    /// The customer.
    public var customerId: String
    /// The user account it was registered for (auth creates the account; the loader does not).
    public var userId: String
    /// The first contract.
    public var contractId: String
    /// Its number.
    public var contractNumber: String
    /// The customer's e-mail (unique in the set: usable as the login).
    public var email: String
    /// Full name.
    public var fullName: String
    /// Preferred language.
    public var locale: String
}

/// Inserts many generated customers with their first contracts quickly: in batches, each one transaction, on
/// PostgreSQL as a few `unnest` array parameters per table, on SQLite as multi-row `INSERT`s.
///
/// Contract numbers come from the same counters as ``CustomersService``'s, reserved a block per batch, so a later
/// registration continues the sequence. No events are written (a million `customer.created` would flood billing):
/// hand the returned ids to auth and billing instead.
public struct DemoLoader: Sendable {
    private let database: any Database
    private let settings: CustomersSettings

    /// Creates a loader over a database migrated with ``CustomersMigrations/set``.
    public init(database: any Database, settings: CustomersSettings = CustomersSettings()) {
        self.database = database
        self.settings = settings
    }

    /// Generates and inserts customers `start ..< start + count` of set `seed`; returns how many it inserted.
    ///
    /// `userID` names each customer's user account (by default a fresh time-ordered UUID). `onBatch` receives every committed
    /// batch's ids, in no particular order across batches; at most `concurrency` batches are in flight. `timings`
    /// hears the time of each stage: `generate`, `contract numbers`, `customers`.
    @discardableResult
    public func load(
        count: Int, seed: UInt64, startingAt start: Int = 0, batchSize: Int = 20_000, concurrency: Int = 3,
        userID: (@Sendable (DemoCustomer) -> String)? = nil, timings: DemoTimings = DemoTimings(),
        onBatch: @escaping @Sendable ([DemoSeededCustomer]) async throws -> Void = { _ in }
    ) async throws -> Int {
        let batchSize = max(1, batchSize)
        let batches = stride(from: start, to: start + count, by: batchSize).map { $0..<min($0 + batchSize, start + count) }
        let loader = self
        var inserted = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            var pending = batches.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let range = pending.next() else { break }
                group.addTask { try await loader.loadBatch(range, seed: seed, userID: userID, timings: timings, onBatch: onBatch) }
            }
            while let done = try await group.next() {
                inserted += done
                if let range = pending.next() {
                    group.addTask { try await loader.loadBatch(range, seed: seed, userID: userID, timings: timings, onBatch: onBatch) }
                }
            }
        }
        try await database.query(database.dialect == .postgres ? "ANALYZE customers, contracts" : "PRAGMA optimize", [])
        return inserted
    }

    private func loadBatch(
        _ range: Range<Int>, seed: UInt64, userID: (@Sendable (DemoCustomer) -> String)?, timings: DemoTimings,
        onBatch: @Sendable ([DemoSeededCustomer]) async throws -> Void
    ) async throws -> Int {
        let people = await timings.measure("generate") { DemoCustomers.generate(count: range.count, seed: seed, startingAt: range.lowerBound) }
        let numbers = try await timings.measure("contract numbers") { try await reserveNumbers(for: people) }
        let rows = DemoRows(people: people, numbers: numbers, userID: userID)
        try await timings.measure("customers") {
            try await database.transaction { tx in
                if tx.dialect == .postgres {
                    try await rows.insertWithArrays(in: tx)
                } else {
                    try await rows.insertWithValues(in: tx)
                }
            }
        }
        try await onBatch(rows.seeded)
        return people.count
    }

    /// Contract numbers for `people`, a block of each counter the batch draws on, taken in one short transaction so
    /// batches in flight do not wait for each other's inserts.
    private func reserveNumbers(for people: [DemoCustomer]) async throws -> [String] {
        let pattern = settings.contractNumberPattern
        let scopes = people.map { pattern.scope(on: $0.signedOn) }
        var counts: [String: Int] = [:]
        for scope in scopes { counts[scope, default: 0] += 1 }
        let sortedCounts = counts.sorted { $0.key < $1.key }
        let lastValues = try await database.transaction { tx in
            var last: [String: Int64] = [:]
            for (scope, count) in sortedCounts {
                last[scope] = try await ContractStore.reserveSequence(scope: scope, count: count, in: tx)
            }
            return last
        }
        var next = lastValues.mapValues { last in last }
        for (scope, count) in counts { next[scope, default: 0] -= Int64(count) }
        return zip(people, scopes).map { person, scope in
            next[scope, default: 0] += 1
            return pattern.format(sequence: next[scope, default: 0], on: person.signedOn)
        }
    }
}
