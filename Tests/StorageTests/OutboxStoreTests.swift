import Foundation
import Kernel
import Storage
import TestSupport
import Testing

struct Pinged: DomainEvent, Equatable {
    static let type = "test.pinged"
    static let version = 1
    var n: Int
}

@Suite("Outbox and inbox tables")
struct OutboxStoreTests {
    @Test(arguments: DatabaseKind.available)
    func eventsCommitWithTheirTransactionOnly(kind: DatabaseKind) async throws {
        struct Rollback: Error {}
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let now = Date()
            try await db.transaction { tx in _ = try await Outbox.append(Pinged(n: 1), at: now, in: tx) }
            _ = try? await db.transaction { tx in
                _ = try await Outbox.append(Pinged(n: 2), at: now, in: tx)
                throw Rollback()
            }
            let store = OutboxStore(database: db)
            let items = try await store.claim(limit: 10, owner: "r", lease: 30, now: now)
            #expect(items.count == 1)
            #expect(try items[0].envelope.decode(Pinged.self) == Pinged(n: 1))
            #expect(items[0].attempt == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aBatchOfEventsKeepsItsOrderAndItsRequest(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let now = Date(timeIntervalSince1970: 1_796_626_800.123456)
            let trace = TraceContext(requestID: "req-1", traceparent: TraceParent.generate())
            try await TraceContext.$current.withValue(trace) {
                try await db.transaction { tx in try await Outbox.append(contentsOf: (0..<25).map { Pinged(n: $0) }, at: now, in: tx) }
            }
            try await db.transaction { tx in try await Outbox.append(contentsOf: [Pinged](), at: now, in: tx) }
            let items = try await OutboxStore(database: db).claim(limit: 100, owner: "r", lease: 30, now: now)
            #expect(try items.map { try $0.envelope.decode(Pinged.self).n } == Array(0..<25))
            #expect(items.allSatisfy { $0.envelope.occurredAt == now && $0.envelope.trace?.requestID == "req-1" })
            #expect(Set(items.map(\.envelope.id)).count == 25)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func claimsAreExclusiveUntilTheLeaseRunsOut(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let now = Date()
            try await db.transaction { tx in
                for n in 0..<5 { _ = try await Outbox.append(Pinged(n: n), at: now, in: tx) }
            }
            let store = OutboxStore(database: db)
            let first = try await store.claim(limit: 3, owner: "a", lease: 30, now: now)
            let second = try await store.claim(limit: 10, owner: "b", lease: 30, now: now)
            #expect(first.map(\.sequence) == first.map(\.sequence).sorted())
            #expect(Set(first.map(\.envelope.id)).isDisjoint(with: second.map(\.envelope.id)))
            #expect(first.count + second.count == 5)
            try await store.markPublished(second, at: now)
            let afterLease = try await store.claim(limit: 10, owner: "c", lease: 30, now: now.addingTimeInterval(31))
            #expect(afterLease.map(\.envelope.id) == first.map(\.envelope.id))
            #expect(afterLease.allSatisfy { $0.attempt == 2 })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func inboxAcceptsAnEventOncePerConsumer(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let now = Date()
            let first = try await db.transaction { try await Inbox.claim(consumer: "billing", eventID: "e1", at: now, in: $0) }
            let again = try await db.transaction { try await Inbox.claim(consumer: "billing", eventID: "e1", at: now, in: $0) }
            let other = try await db.transaction { try await Inbox.claim(consumer: "support", eventID: "e1", at: now, in: $0) }
            #expect(first && !again && other)
        }
    }
}
