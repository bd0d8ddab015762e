import Foundation
import Kernel
import Synchronization
import TestSupport
import Testing

@testable import Storage

/// Counts how many times an operation ran.
final class IdempotencyRunCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The error another task met.
final class IdempotencyErrorBox: Sendable {
    let error = Mutex<IdempotencyError?>(nil)
}

/// A domain failure whose answer is saved and replayed (a 4xx).
struct IdempotencyDeclined: Error, Equatable {}
/// An unexpected failure that is not saved (a 5xx).
struct IdempotencyUnexpected: Error, Equatable {}

@Suite("Idempotency keys", .serialized)
struct IdempotencyKeysTests {
    static let payments = MigrationSet(
        service: "idempotency_tests",
        migrations: [
            SQLMigration("CreateTestPayments", ["CREATE TABLE idempotency_test_payments (id TEXT PRIMARY KEY, amount BIGINT NOT NULL)"])
        ])

    static let declinedResult = SavedResult(status: 402, body: #"{"error":"declined"}"#)

    /// Saves declines, nothing else: what a service does with its domain errors.
    static let saveDeclines: @Sendable (any Error) -> SavedResult? = { error in
        error is IdempotencyDeclined ? declinedResult : nil
    }

    static func with(
        _ kind: DatabaseKind, _ body: @escaping @Sendable (any Database, IdempotencyKeys, ManualClock) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, payments]) { db in
            let clock = ManualClock()
            try await body(db, IdempotencyKeys(database: db, clock: clock), clock)
        }
    }

    static func request(scope: String = "billing.pay:user-1", key: String = UUID().uuidString, amount: Int = 100) -> IdempotentRequest {
        IdempotentRequest(scope: scope, key: key, fingerprint: "POST /api/v1/billing/pay {\"amount\":\(amount)}")
    }

    /// Records a payment, as a money-moving operation would; returns its id and the answer to save.
    static func pay(_ amount: Int, runs: IdempotencyRunCounter, in transaction: any SQLExecutor) async throws -> (String, SavedResult) {
        runs.increment()
        let id = UUID().uuidString
        try await transaction.query("INSERT INTO idempotency_test_payments (id, amount) VALUES ($1, $2)", id, amount)
        return (id, answer(for: id))
    }

    static func answer(for id: String) -> SavedResult { SavedResult(status: 201, body: #"{"id":"\#(id)"}"#) }

    static func paymentCount(_ db: any Database) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM idempotency_test_payments")?.int("n") ?? 0
    }

    @Test(arguments: DatabaseKind.available)
    func aRetryGetsTheSavedAnswerWithoutRunningAgain(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, clock in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            let first = try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) }
            guard case .executed(let id) = first else {
                Issue.record("the first request did not run: \(first)")
                return
            }
            clock.advance(by: 3600)
            let again = try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) }
            #expect(again == .replayed(Self.answer(for: id)))
            #expect(runs.value == 1)
            #expect(try await Self.paymentCount(db) == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aSavedFailureIsReplayedAndItsChangesRolledBack(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            let operation: @Sendable (any SQLExecutor) async throws -> (String, SavedResult) = { transaction in
                _ = try await Self.pay(100, runs: runs, in: transaction)
                throw IdempotencyDeclined()
            }
            await #expect(throws: IdempotencyDeclined()) {
                try await store.perform(request, saveFailure: Self.saveDeclines, operation: operation)
            }
            #expect(try await Self.paymentCount(db) == 0)
            let again = try await store.perform(request, saveFailure: Self.saveDeclines, operation: operation)
            #expect(again == .replayed(Self.declinedResult))
            #expect(runs.value == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anUnsavedFailureReleasesTheKeySoTheRetryRuns(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            await #expect(throws: IdempotencyUnexpected()) {
                try await store.perform(request, saveFailure: Self.saveDeclines) { transaction -> (String, SavedResult) in
                    _ = try await Self.pay(100, runs: runs, in: transaction)
                    throw IdempotencyUnexpected()
                }
            }
            let retry = try await store.perform(request, saveFailure: Self.saveDeclines) { try await Self.pay(100, runs: runs, in: $0) }
            guard case .executed = retry else {
                Issue.record("the retry did not run: \(retry)")
                return
            }
            #expect(runs.value == 2)
            #expect(try await Self.paymentCount(db) == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aThrownOperationLeavesNoChangeAndNoHalfState(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let request = Self.request(amount: 100)
            let runs = IdempotencyRunCounter()
            await #expect(throws: IdempotencyUnexpected()) {
                try await store.perform(request) { transaction -> (String, SavedResult) in
                    _ = try await Self.pay(100, runs: runs, in: transaction)
                    _ = try await Self.pay(200, runs: runs, in: transaction)
                    throw IdempotencyUnexpected()
                }
            }
            #expect(try await Self.paymentCount(db) == 0)
            // Neither in progress nor remembered: the key may even carry another request now.
            let other = Self.request(key: request.key, amount: 300)
            let outcome = try await store.perform(other) { try await Self.pay(300, runs: runs, in: $0) }
            guard case .executed = outcome else {
                Issue.record("the key was left claimed: \(outcome)")
                return
            }
            #expect(try await Self.paymentCount(db) == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theSameKeyWithAnotherRequestIsAMismatch(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let runs = IdempotencyRunCounter()
            let completed = Self.request(amount: 100)
            _ = try await store.perform(completed) { try await Self.pay(100, runs: runs, in: $0) }
            await #expect(throws: IdempotencyError.keyReusedWithDifferentRequest) {
                try await store.perform(Self.request(key: completed.key, amount: 999)) { try await Self.pay(999, runs: runs, in: $0) }
            }
            #expect(runs.value == 1)
            #expect(try await Self.paymentCount(db) == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func concurrentDuplicatesRunTheOperationExactlyOnce(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            let id = try await Self.expectOneRun(of: 20, db: db) {
                try await store.perform(request) { transaction in
                    for _ in 0..<5 { await Task.yield() }
                    return try await Self.pay(100, runs: runs, in: transaction)
                }
            }
            #expect(runs.value == 1)
            guard let id else { return }
            #expect(try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) } == .replayed(Self.answer(for: id)))
        }
    }

    /// Runs `count` duplicates of one request at once and checks that exactly one ran and paid, and that each of the
    /// others got its answer or was told the key is in progress; returns the id the one that ran paid.
    static func expectOneRun(
        of count: Int, db: any Database, _ perform: @escaping @Sendable () async throws -> IdempotencyOutcome<String>
    ) async throws -> String? {
        let results = try await withThrowingTaskGroup(of: Result<IdempotencyOutcome<String>, IdempotencyError>.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        return .success(try await perform())
                    } catch let error as IdempotencyError {
                        return .failure(error)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let executed = results.compactMap { result -> String? in
            if case .success(.executed(let id)) = result { return id }
            return nil
        }
        #expect(executed.count == 1)
        #expect(try await paymentCount(db) == 1)
        guard let id = executed.first else { return nil }
        for result in results {
            switch result {
            case .success(.executed): break
            case .success(.replayed(let saved)): #expect(saved == answer(for: id))
            case .failure(let error): #expect(error == .keyInProgress)
            }
        }
        return id
    }

    // On PostgreSQL the key is held by the run's transaction (an advisory lock), not by a lock that expires: however
    // slow a run is, a duplicate can never run beside it.
    @Test(.enabled(if: DatabaseKind.postgresURL != nil), arguments: [DatabaseKind.postgres])
    func aSlowRunKeepsItsKey(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, clock in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            let outcome = try await store.perform(request) { transaction in
                let slow = try await Self.pay(100, runs: runs, in: transaction)
                clock.advance(by: 3600)
                await #expect(throws: IdempotencyError.keyInProgress) {
                    try await Task.detached { try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) } }.value
                }
                return slow
            }
            guard case .executed(let id) = outcome else {
                Issue.record("the slow run did not complete: \(outcome)")
                return
            }
            #expect(try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) } == .replayed(Self.answer(for: id)))
            #expect(runs.value == 1)
            #expect(try await Self.paymentCount(db) == 1)
        }
    }

    @Test(.enabled(if: DatabaseKind.postgresURL != nil), arguments: [DatabaseKind.postgres])
    func aDuplicateWhileAFailureIsSavedWaitsForIt(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let request = Self.request()
            let runs = IdempotencyRunCounter()
            let duplicate = IdempotencyErrorBox()
            await #expect(throws: IdempotencyDeclined()) {
                try await store.perform(request, saveFailure: Self.saveDeclines) { transaction -> (String, SavedResult) in
                    _ = try await Self.pay(100, runs: runs, in: transaction)
                    let error = await Self.errorOfDuplicate(request, store: store, runs: runs).value
                    duplicate.error.withLock { $0 = error }
                    throw IdempotencyDeclined()
                }
            }
            let seen = duplicate.error.withLock { $0 }
            #expect(seen == .keyInProgress)
            // The decline was saved with the key, and the payment written before it rolled back.
            let replay = try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) }
            #expect(replay == .replayed(Self.declinedResult))
            #expect(runs.value == 1)
            let payments = try await Self.paymentCount(db)
            #expect(payments == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func scopesIsolateKeys(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let runs = IdempotencyRunCounter()
            let key = UUID().uuidString
            let alice = Self.request(scope: "billing.pay:alice", key: key, amount: 100)
            let bob = Self.request(scope: "billing.pay:bob", key: key, amount: 200)
            let aliceOutcome = try await store.perform(alice) { try await Self.pay(100, runs: runs, in: $0) }
            let bobOutcome = try await store.perform(bob) { try await Self.pay(200, runs: runs, in: $0) }
            guard case .executed(let aliceID) = aliceOutcome, case .executed(let bobID) = bobOutcome else {
                Issue.record("one scope saw the other's key: \(aliceOutcome), \(bobOutcome)")
                return
            }
            #expect(try await store.perform(alice) { try await Self.pay(100, runs: runs, in: $0) } == .replayed(Self.answer(for: aliceID)))
            #expect(try await store.perform(bob) { try await Self.pay(200, runs: runs, in: $0) } == .replayed(Self.answer(for: bobID)))
            #expect(runs.value == 2)
            #expect(try await Self.paymentCount(db) == 2)
        }
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "line\nbreak", "nul\u{0}", "tab\tkey", "del\u{7F}", "c1\u{85}"])
    func invalidKeysAreRejected(key: String) throws {
        let error = #expect(throws: IdempotencyError.self) { try Self.request(key: key).validate() }
        guard case .invalidKey = error else {
            Issue.record("expected invalidKey, got \(String(describing: error))")
            return
        }
    }

    @Test
    func validKeysAndScopes() throws {
        try Self.request(key: String(repeating: "k", count: 255)).validate()
        try Self.request(key: "ключ-1 with spaces").validate()
        #expect(throws: IdempotencyError.self) { try Self.request(scope: "").validate() }
        #expect(throws: IdempotencyError.self) { try Self.request(scope: String(repeating: "s", count: 256)).validate() }
    }

    @Test(arguments: DatabaseKind.available)
    func performRejectsAnInvalidKeyBeforeRunning(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, _ in
            let runs = IdempotencyRunCounter()
            for key in ["", String(repeating: "k", count: 256), "bad\r\nkey"] {
                let error = await #expect(throws: IdempotencyError.self) {
                    try await store.perform(Self.request(key: key)) { try await Self.pay(100, runs: runs, in: $0) }
                }
                guard case .invalidKey = error else {
                    Issue.record("expected invalidKey for \(key.debugDescription), got \(String(describing: error))")
                    continue
                }
            }
            #expect(runs.value == 0)
            let payments = try await Self.paymentCount(db)
            #expect(payments == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anAnswerPastItsRetentionFreesTheKey(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, clock in
            let runs = IdempotencyRunCounter()
            let first = Self.request(amount: 100)
            _ = try await store.perform(first) { try await Self.pay(100, runs: runs, in: $0) }
            clock.advance(by: store.retention + 1)
            // Not purged yet, but expired: the key starts a new request, even with another body.
            let outcome = try await store.perform(Self.request(key: first.key, amount: 200)) { try await Self.pay(200, runs: runs, in: $0) }
            guard case .executed = outcome else {
                Issue.record("an expired answer was still used: \(outcome)")
                return
            }
            #expect(runs.value == 2)
            #expect(try await Self.paymentCount(db) == 2)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func purgeExpiredDeletesOnlyExpiredRows(kind: DatabaseKind) async throws {
        try await Self.with(kind) { db, store, clock in
            let runs = IdempotencyRunCounter()
            let early = Self.request(amount: 1)
            _ = try await store.perform(early) { try await Self.pay(1, runs: runs, in: $0) }
            clock.advance(by: 3600)
            let late = Self.request(amount: 2)
            _ = try await store.perform(late) { try await Self.pay(2, runs: runs, in: $0) }
            clock.advance(by: store.retention - 1800)
            #expect(try await store.purgeExpired(before: clock.now()) == 1)
            #expect(try await store.purgeExpired(before: clock.now()) == 0)
            #expect(try await Self.keyCount(db) == 1)

            clock.advance(by: 3600)
            #expect(try await store.purgeExpired(before: clock.now(), batchSize: 1) == 1)
            #expect(try await Self.keyCount(db) == 0)
            // A purged key is unused: another body is accepted.
            let outcome = try await store.perform(Self.request(key: early.key, amount: 4)) { try await Self.pay(4, runs: runs, in: $0) }
            guard case .executed = outcome else {
                Issue.record("a purged key was still known: \(outcome)")
                return
            }
        }
    }

    /// Runs the same request from another task, while the caller's run goes on; its task gives the error it met.
    static func errorOfDuplicate(_ request: IdempotentRequest, store: IdempotencyKeys, runs: IdempotencyRunCounter) -> Task<
        IdempotencyError?, Never
    > {
        Task.detached {
            do {
                _ = try await store.perform(request) { try await Self.pay(100, runs: runs, in: $0) }
                return nil
            } catch {
                return error as? IdempotencyError
            }
        }
    }

    static func keyCount(_ db: any Database) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM idempotency_keys")?.int("n") ?? 0
    }
}
