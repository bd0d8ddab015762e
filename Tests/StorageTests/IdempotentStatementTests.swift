import Foundation
import Kernel
import TestSupport
import Testing

@testable import Storage

/// Requests that PostgreSQL runs as one statement that Storage wraps with their key's check and answer
/// (``IdempotentStatement``), and the transaction they fall back to.
@Suite("Idempotent requests as one statement", .serialized, .enabled(if: DatabaseKind.postgresURL != nil))
struct IdempotentStatementTests {
    /// The amount that makes the test statement raise `lastmile_conflict` after it wrote its row.
    static let conflicting = 13

    /// Records a payment of `amount` in one statement when it is positive (answer: its id, made in Swift); writes
    /// nothing otherwise, leaving the request to the transaction.
    static func statement(_ amount: Int) -> IdempotentStatement<String> {
        let id = UUID().uuidString
        return IdempotentStatement(paySQL, binds: [.text(id), .integer(Int64(amount)), .text(IdempotencyKeysTests.answer(for: id).body)]) {
            try JSONDecoder().decode([String: String].self, from: Data($0.utf8))["id"] ?? ""
        }
    }

    static let paySQL = IdempotentSQL(
        with: """
            paid AS (
                INSERT INTO idempotency_test_payments (id, amount) SELECT $1, CAST($2 AS BIGINT) WHERE CAST($2 AS BIGINT) > 0 RETURNING id
            )
            """,
        answer: """
            SELECT CASE WHEN CAST($2 AS BIGINT) = \(conflicting) THEN CAST(lastmile_conflict('the test conflicts') AS TEXT) ELSE $3 END FROM paid
            """)

    /// The request as one statement, and as a transaction that declines a negative amount.
    static func perform(
        _ store: IdempotencyKeys, _ request: IdempotentRequest, amount: Int, runs: IdempotencyRunCounter
    ) async throws -> IdempotencyOutcome<String> {
        try await store.perform(request, statement: statement(amount), status: 201, saveFailure: IdempotencyKeysTests.saveDeclines) {
            if amount < 0 {
                runs.increment()
                throw IdempotencyDeclined()
            }
            return try await IdempotencyKeysTests.pay(amount, runs: runs, in: $0)
        }
    }

    @Test
    func theStatementRunsOnceAndItsSavedAnswerIsReplayed() async throws {
        try await IdempotencyKeysTests.with(.postgres) { db, store, clock in
            let request = IdempotencyKeysTests.request()
            let runs = IdempotencyRunCounter()
            let first = try await Self.perform(store, request, amount: 100, runs: runs)
            guard case .executed(let id) = first else {
                Issue.record("the first request did not run: \(first)")
                return
            }
            clock.advance(by: 60)
            #expect(try await Self.perform(store, request, amount: 100, runs: runs) == .replayed(IdempotencyKeysTests.answer(for: id)))
            #expect(runs.value == 0)
            #expect(try await IdempotencyKeysTests.paymentCount(db) == 1)
            let other = IdempotentRequest(scope: request.scope, key: request.key, fingerprint: "another body")
            await #expect(throws: IdempotencyError.keyReusedWithDifferentRequest) {
                _ = try await Self.perform(store, other, amount: 100, runs: runs)
            }
        }
    }

    /// A statement that writes nothing leaves the request to the transaction, whose refusal is saved and replayed.
    @Test
    func aRefusalIsTheTransactionsAndIsReplayed() async throws {
        try await IdempotencyKeysTests.with(.postgres) { db, store, _ in
            let request = IdempotencyKeysTests.request()
            let runs = IdempotencyRunCounter()
            await #expect(throws: IdempotencyDeclined.self) { _ = try await Self.perform(store, request, amount: -5, runs: runs) }
            let replay = try await Self.perform(store, request, amount: -5, runs: runs)
            #expect(replay == .replayed(IdempotencyKeysTests.declinedResult))
            #expect(runs.value == 1)
            let payments = try await IdempotencyKeysTests.paymentCount(db)
            #expect(payments == 0)
        }
    }

    /// A statement that wrote nothing, and one that lost a race (a serialization failure undoing what it wrote),
    /// leave the request to the transaction, which runs it once.
    @Test(arguments: [0, conflicting])
    func anUndecidedOrConflictingStatementLeavesTheRequestToATransaction(amount: Int) async throws {
        try await IdempotencyKeysTests.with(.postgres) { db, store, _ in
            let request = IdempotencyKeysTests.request()
            let runs = IdempotencyRunCounter()
            let outcome = try await Self.perform(store, request, amount: amount, runs: runs)
            guard case .executed(let id) = outcome else {
                Issue.record("the transaction did not run: \(outcome)")
                return
            }
            #expect(runs.value == 1)
            #expect(try await db.first("SELECT amount FROM idempotency_test_payments WHERE id = $1", id)?.int("amount") == amount)
            #expect(try await IdempotencyKeysTests.paymentCount(db) == 1)
            #expect(try await Self.perform(store, request, amount: amount, runs: runs) == .replayed(IdempotencyKeysTests.answer(for: id)))
        }
    }

    @Test
    func aKeyHeldByAnotherRequestIsInProgress() async throws {
        try await IdempotencyKeysTests.with(.postgres) { db, store, _ in
            let request = IdempotencyKeysTests.request()
            let runs = IdempotencyRunCounter()
            let duplicate = try await db.transaction { transaction in
                // What a running request holds: the key's advisory lock, until its transaction ends.
                _ = try await transaction.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0))", request.scope, request.key)
                return await Task.detached { () -> IdempotencyError? in
                    do {
                        _ = try await Self.perform(store, request, amount: 100, runs: runs)
                        return nil
                    } catch {
                        return error as? IdempotencyError
                    }
                }.value
            }
            #expect(duplicate == .keyInProgress)
            #expect(try await IdempotencyKeysTests.paymentCount(db) == 0)
            #expect(try await IdempotencyKeysTests.keyCount(db) == 0)
        }
    }

    @Test
    func concurrentDuplicatesRunOnce() async throws {
        try await IdempotencyKeysTests.with(.postgres) { db, store, _ in
            let request = IdempotencyKeysTests.request()
            let runs = IdempotencyRunCounter()
            _ = try await IdempotencyKeysTests.expectOneRun(of: 20, db: db) { try await Self.perform(store, request, amount: 100, runs: runs) }
            #expect(runs.value == 0)
        }
    }
}
