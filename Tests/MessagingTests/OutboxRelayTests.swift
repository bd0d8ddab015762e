import Foundation
import Kernel
import Messaging
import Storage
import Synchronization
import TestSupport
import Testing

struct Noted: DomainEvent, Equatable {
    static let type = "test.noted"
    static let version = 1
    var n: Int
}

struct Poison: DomainEvent, Equatable {
    static let type = "test.poison"
    static let version = 1
}

/// A transport that hands events on and then dies before the relay can mark them, like a `kill -9` would.
struct CrashAfterDelivery: EventTransport {
    let inner: any EventTransport
    func publish(_ events: [EventEnvelope]) async throws {
        try await inner.publish(events)
        throw CancellationError()
    }
}

@Suite("Outbox relay and inbox consumers")
struct OutboxRelayTests {
    static let effects = MigrationSet(
        service: "test",
        migrations: [SQLMigration("CreateEffects", ["CREATE TABLE effects (consumer TEXT NOT NULL, event_id TEXT NOT NULL, n BIGINT)"])])

    /// A consumer that records each event it applies in `effects`, inside the inbox transaction.
    static func recorder(_ name: String, types: Set<String> = [Noted.type]) -> EventConsumer {
        EventConsumer(name: name, types: types) { event, tx in
            let n = event.type == Noted.type ? try event.decode(Noted.self).n : -1
            try await tx.query("INSERT INTO effects (consumer, event_id, n) VALUES ($1, $2, $3)", name, event.id, n)
        }
    }

    static func count(_ db: any Database, consumer: String) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS c FROM effects WHERE consumer = $1", consumer)?.int("c") ?? 0
    }

    static func append(_ db: any Database, _ count: Int, clock: ManualClock) async throws {
        try await db.transaction { tx in
            for n in 0..<count { _ = try await Outbox.append(Noted(n: n), at: clock.now(), in: tx) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func deliversEveryEventOnceToEachSubscriber(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, Self.effects]) { db in
            let clock = ManualClock()
            let transport = InProcessEventTransport(processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            transport.subscribe(Self.recorder("notifications"))
            transport.subscribe(Self.recorder("analytics"))
            try await Self.append(db, 250, clock: clock)
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
            while try await relay.runOnce() > 0 {}
            #expect(try await Self.count(db, consumer: "notifications") == 250)
            #expect(try await Self.count(db, consumer: "analytics") == 250)
            #expect(try await OutboxStore(database: db).pendingCount() == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aCrashBetweenDeliveryAndMarkingDeliversAgainButTakesEffectOnce(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, Self.effects]) { db in
            let clock = ManualClock()
            let transport = InProcessEventTransport(processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            transport.subscribe(Self.recorder("notifications"))
            try await Self.append(db, 20, clock: clock)
            let doomed = OutboxRelay(
                database: db, transport: CrashAfterDelivery(inner: transport), clock: clock, logger: TestDatabases.logger)
            await #expect(throws: CancellationError.self) { try await doomed.runOnce() }
            #expect(try await Self.count(db, consumer: "notifications") == 20)
            #expect(try await OutboxStore(database: db).pendingCount() == 20)

            let successor = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
            #expect(try await successor.runOnce() == 0, "the dead relay's lease still holds")
            clock.advance(by: 31)
            #expect(try await successor.runOnce() == 20)
            #expect(try await Self.count(db, consumer: "notifications") == 20)
            #expect(try await db.first("SELECT COUNT(DISTINCT event_id) AS c FROM effects")?.int("c") == 20)
            #expect(try await OutboxStore(database: db).pendingCount() == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFailingHandlerRollsBackItsChangesAndIsRetried(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, Self.effects]) { db in
            let clock = ManualClock()
            let failuresLeft = Mutex(2)
            let flaky = EventConsumer(name: "flaky", types: [Noted.type]) { event, tx in
                try await tx.query("INSERT INTO effects (consumer, event_id, n) VALUES ('flaky', $1, 0)", event.id)
                if failuresLeft.withLock({ left in
                    defer { left -= 1 }; return left > 0
                }) {
                    throw HandlerFailure()
                }
            }
            let transport = InProcessEventTransport(processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            transport.subscribe(flaky)
            try await Self.append(db, 1, clock: clock)
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
            try await relay.runOnce()
            #expect(try await Self.count(db, consumer: "flaky") == 0)
            for _ in 0..<5 {
                clock.advance(by: 400)
                try await relay.runOnce()
            }
            #expect(try await Self.count(db, consumer: "flaky") == 1)
            #expect(try await OutboxStore(database: db).pendingCount() == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPoisonEventIsSetAsideWhileOthersFlow(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, Self.effects]) { db in
            let clock = ManualClock()
            let transport = InProcessEventTransport(processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            transport.subscribe(Self.recorder("notifications"))
            transport.subscribe(EventConsumer(name: "strict", types: [Poison.type]) { _, _ in throw HandlerFailure() })
            try await db.transaction { tx in
                _ = try await Outbox.append(Noted(n: 1), at: clock.now(), in: tx)
                _ = try await Outbox.append(Poison(), at: clock.now(), in: tx)
                _ = try await Outbox.append(Noted(n: 2), at: clock.now(), in: tx)
            }
            var settings = OutboxRelay.Settings()
            settings.maxAttempts = 3
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, settings: settings, logger: TestDatabases.logger)
            try await relay.runOnce()
            #expect(try await Self.count(db, consumer: "notifications") == 2)
            for _ in 0..<5 {
                clock.advance(by: 400)
                try await relay.runOnce()
            }
            let store = OutboxStore(database: db)
            #expect(try await store.pendingCount() == 0)
            #expect(try await store.deadCount() == 1)
        }
    }
}

struct HandlerFailure: Error {}
