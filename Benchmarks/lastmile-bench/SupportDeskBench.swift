import ArgumentParser
import BenchKit
import Contracts
import Foundation
import Kernel
import Storage
import Support

/// `lastmile-bench support-seed`: a desk's history of tickets with their conversations, set-based, on PostgreSQL.
struct SupportSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support-seed",
        abstract: "Add N tickets (1 to 3 messages each) spread over operators, statuses and two years, set-based, on PostgreSQL."
    )

    @Option(help: "The support service's PostgreSQL database (migrated with `lastmile migrate`).")
    var databaseURL: String

    @Option(help: "Tickets to add.")
    var tickets = 1_000_000

    @Option(help: "Operators the tickets are spread over (op-001 …), registered online.")
    var operators = 100

    @Option(help: "Tickets per transaction.")
    var batch = 100_000

    func validate() throws {
        guard (1...10_000_000).contains(tickets) else { throw ValidationError("--tickets must be 1 to 10,000,000") }
        guard (1...999).contains(operators) else { throw ValidationError("--operators must be 1 to 999") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
    }

    func run() async throws {
        let (count, operators, batch) = (tickets, operators, batch)
        let postgres = try PostgresDatabase(url: databaseURL, maxConnections: 2, applicationName: "lastmile-bench", logger: benchLogger())
        let clock = ContinuousClock()
        let start = clock.now
        let messages = try await DatabaseFactory.run(postgres) { database in
            try await SupportSeeder(database: database, operators: operators).seed(tickets: count, batch: batch)
        }
        let elapsed = secondsIn(clock.now - start)
        note("support-seed: \(count) tickets, \(messages) messages in \(String(format: "%.1f", elapsed)) s")
        print("tickets=\(count) messages=\(messages) seconds=\(String(format: "%.1f", elapsed))")
    }
}

/// The seeding statements.
struct SupportSeeder: Sendable {
    let database: any Database
    let operators: Int

    /// Operators `op-001`… online with every skill; then tickets numbered from 1 in batches, each batch one transaction:
    /// 80% closed, 4% resolved, 4% waiting for the customer, 9% open, 3% new and waiting for an operator; the active
    /// and resolved ones opened in the last 14 days, the others over two years; ids `st-00000001`…. Returns the
    /// number of messages.
    func seed(tickets count: Int, batch: Int) async throws -> Int {
        let now = Date().microsecondsSince1970
        let skills = "[" + TicketCategory.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
        try await database.query(
            """
            INSERT INTO support_agents (user_id, name, skills, languages, state, maximum_open, supervisor, assigned_turn, updated_at)
            SELECT 'op-' || lpad(g.n::text, 3, '0'), 'Оператор ' || g.n, $2, '["ru","en"]', 'online', 500, false, 0, $3
            FROM generate_series(1, $1) AS g(n)
            """, [.integer(Int64(operators)), .text(skills), .integer(now)])
        var first = 1
        while first <= count {
            let (from, last) = (first, min(count, first + batch - 1))
            try await database.transaction { tx in
                try await tx.query(Self.tickets, [.integer(Int64(from)), .integer(Int64(last)), .integer(now), .integer(Int64(operators))])
                try await tx.query(Self.messages, [.integer(Int64(from)), .integer(Int64(last)), .integer(Int64(operators))])
            }
            note("support-seed: tickets \(first)…\(last)")
            first = last + 1
        }
        try await database.query("SELECT setval('support_ticket_numbers', $1)", [.integer(Int64(count))])
        try await database.query("ANALYZE", [])
        return try await database.first("SELECT COUNT(*) AS n FROM support_messages")?.int("n") ?? 0
    }

    private static let names = ["Иван Петров", "Мария Смирнова", "Алексей Кузнецов", "Ольга Попова", "Дмитрий Соколов", "Елена Лебедева"]

    /// Tickets $1…$2 at $3 (microseconds) over $4 operators.
    private static let tickets = """
        WITH src AS (
            SELECT g.n, 1 + (g.n * 7) % \(TicketCorpus.subjects.count) AS s, random() AS r, random() AS t, random() AS p
            FROM generate_series($1::bigint, $2::bigint) AS g(n)
        ), shaped AS (
            SELECT n, s,
                CASE WHEN r < 0.80 THEN 'closed' WHEN r < 0.84 THEN 'resolved' WHEN r < 0.88 THEN 'waiting_for_customer'
                    WHEN r < 0.97 THEN 'open' ELSE 'new' END AS status,
                CASE WHEN p < 0.05 THEN 3 WHEN p < 0.25 THEN 2 WHEN p < 0.85 THEN 1 ELSE 0 END AS rank,
                ($3::bigint - ((CASE WHEN r >= 0.80 THEN 14 ELSE 730 END) * t * 86400000000)::bigint) AS created
            FROM src
        )
        INSERT INTO support_tickets (id, number, customer_id, user_id, customer_name, subject, requested_category, category, priority,
            priority_rank, reasons, status, locale, address, about_kind, about_id, assignee_id, created_at, updated_at, first_responded_at,
            awaiting_reply_since, waiting_since, paused, resolved_at, closed_at, sla_due_at, sla_warn_at, search)
        SELECT 'st-' || lpad(n::text, 8, '0'), n, 'sc-' || lpad((n % 200000)::text, 6, '0'), 'su-' || lpad((n % 200000)::text, 6, '0'),
            (\(TicketCorpus.sqlArray(names)))[1 + n % \(names.count)],
            (\(TicketCorpus.sqlArray(TicketCorpus.subjects.map(\.text))))[s],
            (\(TicketCorpus.sqlArray(TicketCorpus.subjects.map(\.category))))[s],
            (\(TicketCorpus.sqlArray(TicketCorpus.subjects.map(\.category))))[s],
            (ARRAY['low', 'normal', 'high', 'urgent'])[rank + 1], rank, '[]', status, 'ru', 'Москва, ул. Тверская, ' || (1 + n % 40), NULL, NULL,
            CASE WHEN status = 'new' THEN NULL ELSE 'op-' || lpad((1 + n % $4)::text, 3, '0') END,
            created, created + 3600000000,
            CASE WHEN status = 'new' THEN NULL ELSE created + 1200000000 END,
            CASE WHEN status IN ('new', 'open') THEN created END,
            CASE WHEN status = 'waiting_for_customer' THEN created + 3600000000 END,
            '[]',
            CASE WHEN status IN ('resolved', 'closed') THEN created + 86400000000 END,
            CASE WHEN status = 'closed' THEN created + 8 * 86400000000 END,
            CASE WHEN status IN ('new', 'open') THEN created + (ARRAY[24, 8, 4, 1])[rank + 1] * 3600000000 END,
            CASE WHEN status IN ('new', 'open') THEN created + (ARRAY[24, 8, 4, 1])[rank + 1] * 2880000000 END,
            to_tsvector('russian', (\(TicketCorpus.sqlArray(TicketCorpus.subjects.map(\.text))))[s] || E'\\n' || \(message(1, number: "n"))
                || CASE WHEN n % 3 >= 1 THEN E'\\n' || \(message(2, number: "n")) ELSE '' END
                || CASE WHEN n % 3 >= 2 THEN E'\\n' || \(message(3, number: "n")) ELSE '' END)
        FROM shaped
        """

    /// The text of message `k` (1 the customer's first, 2 an operator's answer, 3 the customer's reply) of the ticket
    /// numbered by the SQL expression `number`: what the messages statement writes and the tickets' search indexes.
    private static func message(_ k: Int, number: String) -> String {
        switch k {
        case 1: "(\(TicketCorpus.sqlArray(TicketCorpus.messages)))[1 + (\(number) * 5) % \(TicketCorpus.messages.count)]"
        case 2: "(\(TicketCorpus.sqlArray(TicketCorpus.answers)))[1 + \(number) % \(TicketCorpus.answers.count)]"
        default: "(\(TicketCorpus.sqlArray(TicketCorpus.replies)))[1 + \(number) % \(TicketCorpus.replies.count)]"
        }
    }

    /// One to three messages for each of tickets $1…$2, in order: the customer's first, an operator's answer, the customer's
    /// reply.
    private static let messages = """
        INSERT INTO support_messages (id, ticket_id, seq, author, author_id, author_name, internal, body, created_at)
        SELECT t.id || '-' || k, t.id, k, CASE k WHEN 2 THEN 'operator' ELSE 'customer' END,
            CASE k WHEN 2 THEN 'op-' || lpad((1 + t.number % $3)::text, 3, '0') ELSE t.user_id END,
            CASE k WHEN 2 THEN 'Оператор' ELSE t.customer_name END, false,
            CASE k WHEN 1 THEN \(message(1, number: "t.number")) WHEN 2 THEN \(message(2, number: "t.number"))
                ELSE \(message(3, number: "t.number")) END,
            t.created_at + k * 600000000
        FROM support_tickets t, generate_series(1, (1 + t.number % 3)::int) AS k
        WHERE t.number BETWEEN $1 AND $2
        """
}

/// `lastmile-bench support-queries`: operators' queue pages and full-text searches through `SupportService`, one at a time.
struct SupportQueries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support-queries",
        abstract: "Time operators' queues (mine, open, by SLA deadline) and full-text searches through SupportService."
    )

    @Option(help: "The support service's PostgreSQL database.")
    var databaseURL: String

    @Option(help: "Requests of each kind.")
    var samples = 300

    @Option(help: "Operators op-001 … whose queues are read.")
    var operators = 100

    @Flag(help: "Also time full-text searches (one word of the corpus each, queue all).")
    var search = false

    func run() async throws {
        let (samples, operators, search) = (max(1, samples), max(1, operators), search)
        let postgres = try PostgresDatabase(url: databaseURL, maxConnections: 2, applicationName: "lastmile-bench", logger: benchLogger())
        let lines = try await DatabaseFactory.run(postgres) { database in
            let support = SupportService(database: database, logger: benchLogger())
            let page = PageRequest(limit: 50)
            var kinds: [(name: String, key: String, filter: @Sendable (Int) -> (TicketFilter, String))] = [
                (
                    "queue: mine, open, by SLA deadline", "queue",
                    { i in (TicketFilter(queue: .mine, status: .open), "op-" + String(format: "%03d", 1 + i % operators)) }
                )
            ]
            if search {
                kinds.append(
                    (
                        "full-text: one word, queue all", "search",
                        { i in (TicketFilter(queue: .all, text: TicketCorpus.searchWords[i % TicketCorpus.searchWords.count]), "op-001") }
                    ))
            }
            var lines = [
                "kind".padding(toLength: 36, withPad: " ", startingAt: 0) + "     n     p50     p95     p99     max  hits/query"
            ]
            var values: [String] = []
            for kind in kinds {
                // A few requests first, so that connections are open and the plans cached as in a running service.
                for i in 0..<5 {
                    let (filter, operatorID) = kind.filter(i)
                    _ = try await support.tickets(matching: filter, operatorID: operatorID, page: page)
                }
                var times: [Double] = []
                var hits = 0
                for _ in 0..<samples {
                    let (filter, operatorID) = kind.filter(Int.random(in: 0..<1_000_000))
                    let started = ContinuousClock.now
                    let result = try await support.tickets(matching: filter, operatorID: operatorID, page: page)
                    times.append(1000 * secondsIn(ContinuousClock.now - started))
                    hits += result.items.count
                }
                let sorted = times.sorted()
                let p = { (share: Double) in Statistics.percentile(sorted, share) }
                lines.append(
                    kind.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                        + String(
                            format: "%6d %7.2f %7.2f %7.2f %7.2f %11.1f", sorted.count, p(0.5), p(0.95), p(0.99), sorted.last ?? 0,
                            Double(hits) / Double(sorted.count)))
                let fixed = { (value: Double) in String(format: "%.2f", value) }
                values.append(
                    "\(kind.key)_p50_ms=\(fixed(p(0.5))) \(kind.key)_p99_ms=\(fixed(p(0.99))) \(kind.key)_hits=\(fixed(Double(hits) / Double(sorted.count)))"
                )
            }
            return lines + [values.joined(separator: " ")]
        }
        print(lines.joined(separator: "\n"))
    }
}
