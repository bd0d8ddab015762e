import ArgumentParser
import AsyncHTTPClient
import BenchKit
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import Synchronization

/// `lastmile-bench support-tickets`: customers open tickets through the gateway concurrently for a while; each ticket's
/// time from its POST to the `ticket.assigned` row of the outbox, found by polling.
struct SupportTicketsLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support-tickets",
        abstract: "POST /api/v1/support/tickets concurrently for a while; tickets/s and the time from the POST to ticket.assigned."
    )

    @Option(help: "Base URL of the platform, e.g. http://127.0.0.1:8080 (loopback only).")
    var url: String

    @Option(help: "A file of customers' access tokens, one a line; the clients take them in turn.")
    var tokens: String

    @Option(help: "The platform's PostgreSQL database, whose outbox is polled for ticket.assigned.")
    var databaseURL: String

    @Option(help: "Requests in flight at once.")
    var concurrency = 32

    @Option(help: "How long to open tickets, in seconds.")
    var seconds: Double = 10

    @Option(help: "Milliseconds between polls of the outbox.")
    var pollMilliseconds = 20

    @Option(help: "Seconds to wait after the load for the last tickets to be assigned.")
    var settleSeconds: Double = 30

    func validate() throws {
        guard let parsed = URL(string: url), let host = parsed.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw ValidationError("--url must be an http URL on a loopback address")
        }
        guard seconds > 0, concurrency > 0, pollMilliseconds > 0 else {
            throw ValidationError("--seconds, --concurrency and --poll-milliseconds must be positive")
        }
    }

    func run() async throws {
        let tokens = try String(contentsOfFile: tokens, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !tokens.isEmpty else { throw ValidationError("--tokens names no token") }
        let endpoint = (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v1/support/tickets"
        let (concurrency, seconds, poll, settle) = (concurrency, seconds, pollMilliseconds, settleSeconds)
        let postgres = try PostgresDatabase(url: databaseURL, maxConnections: 1, applicationName: "lastmile-bench", logger: benchLogger())
        let result = try await DatabaseFactory.run(postgres) { database in
            let watcher = try await AssignmentWatcher(database: database, every: .milliseconds(poll))
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)))
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let clock = ContinuousClock()
            let start = clock.now
            let deadline = start + .milliseconds(Int64(seconds * 1000))
            let tally = await withTaskGroup(of: Tally.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var tally = Tally()
                        var index = worker
                        while clock.now < deadline {
                            let token = tokens[index % tokens.count]
                            let subject = TicketCorpus.subjects[index % TicketCorpus.subjects.count]
                            let text = TicketCorpus.messages[(index / 3) % TicketCorpus.messages.count]
                            index += concurrency
                            let sent = clock.now
                            if let id = await Self.open(client, endpoint, token: token, subject: subject, text: text) {
                                tally.opened.append((id, sent))
                            } else {
                                tally.failed += 1
                            }
                        }
                        return tally
                    }
                }
                var sum = Tally()
                for await tally in group {
                    sum.opened += tally.opened
                    sum.failed += tally.failed
                }
                return sum
            }
            let end = clock.now
            let elapsed = secondsIn(end - start)
            try? await client.shutdown()
            let seen = await watcher.collect(Set(tally.opened.map(\.id)), settle: .milliseconds(Int64(settle * 1000)))
            let latencies = tally.opened.compactMap { ticket in seen[ticket.id].map { 1000 * secondsIn($0 - ticket.sent) } }.sorted()
            let duringLoad = tally.opened.filter { ticket in seen[ticket.id].map { $0 <= end } ?? false }.count
            return (tally, elapsed, latencies, watcher.polls, duringLoad)
        }
        let (tally, elapsed, latencies, polls, duringLoad) = result
        let rate = Double(tally.opened.count) / elapsed
        let unassigned = tally.opened.count - latencies.count
        let ms = { (share: Double) in String(format: "%.1f", Statistics.percentile(latencies, share)) }
        note(
            "support-tickets: \(tally.opened.count) opened, \(tally.failed) errors, concurrency \(concurrency), \(String(format: "%.2f", elapsed)) s; "
                + "\(latencies.count) assigned, \(unassigned) not within \(Int(settle)) s; \(polls) polls of the outbox")
        print(
            "tickets_per_second=\(formatRate(rate)) tickets=\(tally.opened.count) errors=\(tally.failed) assigned=\(latencies.count) "
                + "unassigned=\(unassigned) assigned_per_second_during_load=\(formatRate(Double(duringLoad) / elapsed)) assign_p50_ms=\(ms(0.5)) assign_p95_ms=\(ms(0.95)) assign_p99_ms=\(ms(0.99)) "
                + "assign_max_ms=\(String(format: "%.1f", latencies.last ?? 0)) concurrency=\(concurrency) seconds=\(String(format: "%.2f", elapsed))"
        )
        if tally.opened.isEmpty { throw ExitCode.failure }
    }

    /// What the clients did: the tickets they opened (id and the instant the POST was sent) and how many failed.
    private struct Tally: Sendable {
        var opened: [(id: String, sent: ContinuousClock.Instant)] = []
        var failed = 0
    }

    /// Opens one ticket; its id when the gateway answered 201.
    private static func open(
        _ client: HTTPClient, _ endpoint: String, token: String, subject: TicketCorpus.Subject, text: String
    ) async -> String? {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        guard let body = try? JSONSerialization.data(withJSONObject: ["subject": subject.text, "text": text, "category": subject.category]) else {
            return nil
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 201, let object = try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any],
                let summary = object["summary"] as? [String: Any], let id = summary["id"] as? String
            else { return nil }
            return id
        } catch {
            return nil
        }
    }
}

/// Polls the outbox for `ticket.assigned` rows on one connection, noting when each ticket's first became visible.
///
/// The assigner's passes run one at a time under a lock held to their commit, so its rows become visible in the order
/// of their `seq`; the watcher reads past the last one it saw. Each time it notes is late by at most one interval and
/// one poll's round trip.
final class AssignmentWatcher: Sendable {
    /// What the polling task shares with the waiting side.
    private final class Sightings: Sendable {
        let seen = Mutex<[String: ContinuousClock.Instant]>([:])
        let polls = Atomic<Int>(0)
    }

    private let sightings: Sightings
    private let task: Task<Void, Never>

    /// Starts polling after the outbox's current end.
    init(database: any Database, every interval: Duration) async throws {
        let start = try await database.first("SELECT COALESCE(MAX(seq), 0) AS seq FROM outbox_events")?.int64("seq") ?? 0
        let sightings = Sightings()
        self.sightings = sightings
        task = Task.detached {
            var cursor = start
            while !Task.isCancelled {
                if let rows = try? await database.query(
                    """
                    SELECT seq, payload::jsonb ->> 'ticketId' AS ticket FROM outbox_events
                    WHERE seq > $1 AND type = 'ticket.assigned' ORDER BY seq
                    """, cursor)
                {
                    let now = ContinuousClock.now
                    sightings.polls.add(1, ordering: .relaxed)
                    cursor = rows.compactMap { try? $0.int64("seq") }.max() ?? cursor
                    let tickets = rows.compactMap { try? $0.string("ticket") }
                    sightings.seen.withLock { seen in
                        for ticket in tickets where seen[ticket] == nil { seen[ticket] = now }
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Polls made so far.
    var polls: Int { sightings.polls.load(ordering: .relaxed) }

    /// Waits until every ticket of `ids` was seen assigned, or `settle` passed; then stops and returns what was seen.
    func collect(_ ids: Set<String>, settle: Duration) async -> [String: ContinuousClock.Instant] {
        let deadline = ContinuousClock.now + settle
        while ContinuousClock.now < deadline {
            if sightings.seen.withLock({ seen in ids.allSatisfy { seen[$0] != nil } }) { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        task.cancel()
        return sightings.seen.withLock { $0 }
    }
}
