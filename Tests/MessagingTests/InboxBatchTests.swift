import Foundation
import Kernel
import Messaging
import Storage
import Synchronization
import TestSupport
import Testing

@Suite("Inbox batches and the pipelined relay")
struct InboxBatchTests {
    private static func events(_ count: Int, clock: ManualClock) throws -> [EventEnvelope] {
        try (0..<count).map { try EventEnvelope(Noted(n: $0), at: clock.now()) }
    }

    @Test(arguments: DatabaseKind.available)
    func aBatchClaimsEachEventOnceAndSkipsWhatTheInboxHolds(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let processor = InboxProcessor(database: db, clock: clock)
            let consumer = OutboxRelayTests.recorder("batch")
            let events = try Self.events(5, clock: clock)
            #expect(try await processor.process(events[0], with: consumer))
            // A repeat inside the batch and one the inbox already holds: each runs at most once.
            let ran = try await processor.process(batch: events + [events[2]], with: consumer)
            #expect(ran == [false, true, true, true, true, false])
            #expect(try await OutboxRelayTests.count(db, consumer: "batch") == 5)
            #expect(try await processor.process(batch: events, with: consumer) == Array(repeating: false, count: 5))
            #expect(try await OutboxRelayTests.count(db, consumer: "batch") == 5)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aBatchHandlerGetsTheNewEventsOnceInOrder(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let processor = InboxProcessor(database: db, clock: clock)
            let calls = Mutex<[[Int]]>([])
            let consumer = EventConsumer.batched(name: "bulk", types: [Noted.type]) { events, tx in
                calls.withLock { $0.append(try! events.map { try $0.decode(Noted.self).n }) }
                for event in events { try await tx.query("INSERT INTO effects (consumer, event_id, n) VALUES ('bulk', $1, 0)", event.id) }
            }
            let events = try Self.events(4, clock: clock)
            #expect(try await processor.process(events[1], with: consumer))
            #expect(try await processor.process(batch: events + [events[0]], with: consumer) == [true, false, true, true, false])
            #expect(calls.withLock { $0 } == [[1], [0, 2, 3]])
            #expect(try await OutboxRelayTests.count(db, consumer: "bulk") == 4)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFailingHandlerRollsBackTheWholeBatchAndNamesItsEvent(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let processor = InboxProcessor(database: db, clock: clock)
            let events = try Self.events(4, clock: clock)
            let poisonID = events[2].id
            let consumer = EventConsumer(name: "picky", types: [Noted.type]) { event, tx in
                try await tx.query("INSERT INTO effects (consumer, event_id, n) VALUES ('picky', $1, 0)", event.id)
                if event.id == poisonID { throw HandlerFailure() }
            }
            let failure = await #expect(throws: BatchHandlerFailure.self) { try await processor.process(batch: events, with: consumer) }
            #expect(failure?.index == 2)
            #expect(try await OutboxRelayTests.count(db, consumer: "picky") == 0)
            #expect(try await db.first("SELECT COUNT(*) AS c FROM inbox_events")?.int("c") == 0, "inbox rows rolled back too")
            // Without it the rest commits.
            #expect(try await processor.process(batch: events.filter { $0.id != poisonID }, with: consumer) == [true, true, true])
            #expect(try await OutboxRelayTests.count(db, consumer: "picky") == 3)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func thePipelinedRelayDeliversEveryEventInOrderAndMarksThemSent(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let transport = RecordingTransport(database: db)
            try await OutboxRelayTests.append(db, 1_000, clock: clock)
            var settings = OutboxRelay.Settings()
            settings.batchSize = 64
            settings.idleInterval = .milliseconds(10)
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, settings: settings, logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await relay.run() }
                while try await OutboxStore(database: db).pendingCount() > 0 { try await Task.sleep(for: .milliseconds(20)) }
                group.cancelAll()
            }
            let sent = transport.events.withLock { $0 }
            #expect(try sent.map { try $0.decode(Noted.self).n } == Array(0..<1_000), "once each, in outbox order")
            #expect(transport.markedBeforeAccepted.withLock { $0 } == 0, "marked only after the transport accepted")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aClaimAfterACursorSkipsWhatLiesBehindIt(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let clock = ManualClock()
            try await OutboxRelayTests.append(db, 10, clock: clock)
            let store = OutboxStore(database: db)
            let first = try await store.claim(limit: 4, owner: "a", lease: 30, now: clock.now(), after: nil)
            try await store.release(Array(first.prefix(2)))
            let next = try await store.claim(limit: 4, owner: "a", lease: 30, now: clock.now(), after: first.last?.sequence)
            #expect(next.map(\.sequence) == Array(first.last!.sequence + 1...first.last!.sequence + 4))
            let rest = try await store.claim(limit: 10, owner: "a", lease: 30, now: clock.now(), after: nil)
            #expect(rest.map(\.sequence) == first.prefix(2).map(\.sequence) + [next.last!.sequence + 1, next.last!.sequence + 2])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anUnavailableTransportGetsTheEventsBackWithoutSpendingAttempts(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let transport = RecordingTransport(database: db)
            transport.unavailable.withLock { $0 = 3 }
            try await OutboxRelayTests.append(db, 10, clock: clock)
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
            for _ in 0..<3 { await #expect(throws: EventTransportUnavailable.self) { try await relay.runOnce() } }
            #expect(try await OutboxStore(database: db).pendingCount() == 10)
            #expect(try await db.first("SELECT MAX(attempts) AS a FROM outbox_events")?.int("a") == 0, "no attempt counted")
            #expect(try await relay.runOnce() == 10, "due again at once")
            #expect(try await OutboxStore(database: db).pendingCount() == 0)
            #expect(transport.events.withLock { $0.count } == 10)
        }
    }
}

/// A transport that records what it accepted, checks that nothing is marked sent before its batch is accepted, and
/// can report itself unavailable a number of times.
final class RecordingTransport: EventTransport {
    let database: any Database
    let events = Mutex<[EventEnvelope]>([])
    let markedBeforeAccepted = Mutex(0)
    let unavailable = Mutex(0)

    init(database: any Database) { self.database = database }

    func publish(_ events: [EventEnvelope]) async throws {
        try await startPublishing(events).accepted()
    }

    func startPublishing(_ batch: [EventEnvelope]) async throws -> EventPublication {
        let fail = unavailable.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw EventTransportUnavailable(reason: "test") }
        events.withLock { $0 += batch }
        let ids = batch.map(\.id)
        return EventPublication { [self] in
            let placeholders = (1...ids.count).map { "$\($0)" }.joined(separator: ", ")
            let early =
                try await self.database.query(
                    "SELECT COUNT(*) AS c FROM outbox_events WHERE published_at IS NOT NULL AND id IN (\(placeholders))", ids.map { .text($0) }
                ).first?.int("c") ?? 0
            self.markedBeforeAccepted.withLock { $0 += early }
        }
    }
}
