import BenchKit
import Foundation

/// The ticket-creation part of `measure support`: `lastmile serve` with demo data, operators online and customers
/// logged in, `lastmile-bench support-tickets` against a pgbench script in alternating rounds.
struct SupportCreation {
    let bench: BenchRun
    let postgres: PostgresServer
    let load: SupportLoadSettings

    /// The table rows and a paragraph of what the server's statistics said.
    func measure() async throws -> (rows: [String], notes: String) {
        bench.step("ticket creation: lastmile serve on PostgreSQL (demo data), operators online, customers logged in")
        let database = "support"
        try postgres.psql("postgres", "CREATE DATABASE \(database)")
        let port = try freePort()
        let serve = try bench.start(
            "serve.out", [bench.lastmile, "serve"],
            environment: [
                "LASTMILE_DATABASE_URL": postgres.url(database), "LASTMILE_DATA_DIR": bench.out.appendingPathComponent("data").path,
                "LASTMILE_PORT": "\(port)", "LASTMILE_DEMO_DATA": "true", "LASTMILE_LOG_LEVEL": "warning", "LASTMILE_RATE_LIMIT_API": "100000000",
                "LASTMILE_RATE_LIMIT_CREDENTIALS": "100000000", "LASTMILE_RATE_LIMIT_GLOBAL": "100000000",
            ])
        let site = "http://127.0.0.1:\(port)"
        try await bench.waitHTTP("\(site)/health/ready", child: serve, seconds: 180)
        let demo = try await bench.demoLogins(serve)
        let tokens = try await customers(site: site, demo: demo.customer, database: database)
        defer { try? FileManager.default.removeItem(at: tokens) }
        try await operators(site: site, admin: demo.admin)
        try await bench.awaitEmptyOutbox(site: site)

        try postgres.psql("postgres", "CREATE DATABASE support_pgbench")
        try bench.run("migrate-pgbench.log", [bench.lastmile, "migrate"], environment: ["LASTMILE_DATABASE_URL": postgres.url("support_pgbench")])
        let script = try pgbenchScript()
        try postgres.psql(database, "VACUUM ANALYZE")

        bench.step(
            "tickets/s through the gateway vs pgbench (one ticket row and one outbox row per transaction), \(load.seconds) s each, alternating")
        let rule = bench.rule(target: 50)
        var runs: [[String: String]] = []
        let result = try await measurePairs(
            rule,
            platform: { round in
                try resetDesk(database)
                let text = try bench.run(
                    "tickets-\(round).txt",
                    [
                        bench.bench, "support-tickets", "--url", site, "--tokens", tokens.path, "--database-url", postgres.url(database),
                        "--concurrency", "\(load.clients)", "--seconds", "\(load.seconds)", "--poll-milliseconds", "\(load.pollMilliseconds)",
                    ])
                runs.append(ToolOutput.values(text, with: "tickets_per_second"))
                return Double(runs.last?["tickets_per_second"] ?? "") ?? 0
            },
            baseline: { round in
                try postgres.psql("support_pgbench", "CHECKPOINT")
                let text = try bench.run(
                    "pgbench-\(round).txt",
                    ["pgbench", "-n", "-c", "\(load.clients)", "-j", "2", "-T", "\(load.seconds)", "-f", script, postgres.url("support_pgbench")],
                    echo: false)
                guard let tps = ToolOutput.pgbenchTPS(text) else { throw BenchFailure("no tps in pgbench's output") }
                return tps
            }, report: bench.report("tickets/s vs TPS"))
        let serviceScript = try pgbenchScript(asTheService: true)
        try postgres.psql("support_pgbench", "CHECKPOINT")
        let serviceText = try bench.run(
            "pgbench-as-the-service.txt",
            ["pgbench", "-n", "-c", "\(load.clients)", "-j", "2", "-T", "\(load.seconds)", "-f", serviceScript, postgres.url("support_pgbench")],
            echo: false)
        let serviceTPS = ToolOutput.pgbenchTPS(serviceText) ?? 0
        bench.info("pgbench with createTicket's own statements: \(Formatting.fixed(serviceTPS, 1)) TPS")
        // After the server stopped: its connections hand their statistics over as they close.
        bench.stopAll()
        try await Task.sleep(for: .seconds(2))
        let statistics = try postgres.psql(
            database,
            "SELECT n_tup_ins || ' ' || n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'support_tickets'"
        ).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        try postgres.psql("postgres", "DROP DATABASE \(database)")
        try postgres.psql("postgres", "DROP DATABASE support_pgbench")

        let errors = runs.map { Int($0["errors"] ?? "") ?? 0 }.reduce(0, +)
        let unassigned = runs.map { Int($0["unassigned"] ?? "") ?? 0 }.reduce(0, +)
        let tickets = runs.map { Int($0["tickets"] ?? "") ?? 0 }.reduce(0, +)
        let percentile = { (key: String) in
            Formatting.summary(Summary(runs.compactMap { Double($0[key] ?? "") }), decimals: 1)
        }
        let ours = result.platform.median
        let rows = [
            Formatting.row(
                "tickets opened `POST /api/v1/support/tickets`, \(load.clients) clients over \(load.customers) customers",
                "\(Formatting.summary(result.platform)) tickets/s", "pgbench \(Formatting.summary(result.baseline)) TPS", Formatting.ratio(result),
                "≥ 50%", Formatting.verdict(rule.verdict(result), problem: errors > 0 ? "\(errors) failed requests" : nil)),
            Formatting.row(
                "from the POST to `ticket.assigned` in the outbox, those tickets (\(tickets) over \(runs.count) rounds)",
                "p99 \(percentile("assign_p99_ms")) ms, p50 \(percentile("assign_p50_ms")) ms, max \(percentile("assign_max_ms")) ms; "
                    + "assigned while the clients ran \(percentile("assigned_per_second_during_load")) tickets/s", "—", "—",
                "—", unassigned > 0 ? "(shown; \(unassigned) not assigned within 30 s)" : "(shown)"),
            Formatting.row(
                "the same tickets against pgbench running `createTicket`'s own transaction (number, ticket, first message, the `UPDATE` "
                    + "adding its search vector, outbox row)", "\(Formatting.fixed(ours)) tickets/s", "pgbench \(Formatting.fixed(serviceTPS)) TPS",
                "\(Formatting.fixed(serviceTPS > 0 ? 100 * ours / serviceTPS : 0, 1))%", "—", "(shown; one run)"),
        ]
        var notes = ""
        if statistics.count == 3 {
            notes =
                "PostgreSQL's statistics of `support_tickets` after the creation rounds (setup and the resets between rounds included): "
                + "\(statistics[0]) rows inserted, \(statistics[1]) updated, \(statistics[2]) of the updates HOT."
        }
        return (rows, notes)
    }

    /// Gives `load.customers` of the generated customers the demo customer's password and logs them in;
    /// a file of their tokens, one a line.
    private func customers(site: String, demo: (email: String, password: String), database: String) async throws -> URL {
        let demoEmail = demo.email.lowercased()
        try postgres.psql(
            database,
            """
            UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email_normalized = '\(demoEmail)')
            WHERE role = 'customer' AND email_normalized <> '\(demoEmail)'
            """)
        let emails = try postgres.psql(
            database,
            """
            SELECT u.email FROM users u JOIN customers c ON c.user_id = u.id
            WHERE u.role = 'customer' AND u.email_normalized <> '\(demoEmail)' ORDER BY c.id LIMIT \(load.customers)
            """
        ).split(separator: "\n").map(String.init)
        guard emails.count == load.customers else { throw BenchFailure("only \(emails.count) generated customers; \(load.customers) needed") }
        var tokens: [String] = []
        for email in emails { tokens.append(try await login(bench, site: site, email: email, password: demo.password)) }
        let file = bench.out.appendingPathComponent("customer-tokens")
        try tokens.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let (status, body) = try await bench.http(
            "\(site)/api/v1/support/tickets", method: "POST", headers: ["Authorization": "Bearer \(tokens[0])"],
            json: ["subject": "Проверка перед замером", "text": "Одна заявка до начала замера.", "category": "other"])
        guard status == 201 else { throw BenchFailure("a ticket by hand: \(status) \(String(decoding: body, as: UTF8.self).prefix(500))") }
        bench.info("\(tokens.count) customers logged in; a ticket by hand answered 201")
        return file
    }

    /// Registers the operators `op-01`… through the admin API, every skill and language, at most 500 open tickets, online.
    private func operators(site: String, admin: (email: String, password: String)) async throws {
        let token = try await login(bench, site: site, email: admin.email, password: admin.password)
        let headers = ["Authorization": "Bearer \(token)"]
        for index in 1...load.operators {
            let id = String(format: "op-%02d", index)
            let (created, body) = try await bench.http(
                "\(site)/api/v1/admin/support/agents/\(id)", method: "PUT", headers: headers,
                json: [
                    "name": "Оператор \(index)", "skills": ["no_connection", "slow_speed", "billing", "equipment", "connection_request", "other"],
                    "languages": ["ru", "en"], "maximumOpenTickets": 500, "isSupervisor": false,
                ])
            guard created == 200 else { throw BenchFailure("PUT agents/\(id): \(created) \(String(decoding: body, as: UTF8.self).prefix(300))") }
            let (online, answer) = try await bench.http(
                "\(site)/api/v1/admin/support/agents/\(id)/state", method: "PUT", headers: headers, json: ["state": "online"])
            guard online == 200 else {
                throw BenchFailure("PUT agents/\(id)/state: \(online) \(String(decoding: answer, as: UTF8.self).prefix(300))")
            }
        }
        bench.info("\(load.operators) operators online")
    }

    /// Closes every ticket still open and moves them 90 days back, so that a round starts with free operators and
    /// customers without recent tickets; then a checkpoint.
    private func resetDesk(_ database: String) throws {
        try postgres.psql(
            database,
            """
            UPDATE support_tickets SET status = 'closed', sla_due_at = NULL, closed_at = created_at,
                created_at = created_at - 7776000000000 WHERE status <> 'closed'
            """)
        try postgres.psql(database, "VACUUM ANALYZE support_tickets")
        try postgres.psql(database, "CHECKPOINT")
    }

    /// The baseline's pgbench script: one ticket row, numbered from the sequence, and one outbox row per transaction.
    /// With `asTheService`, the statements of `SupportService.createTicket`'s own transaction instead: the number, the
    /// ticket, its first message, the `UPDATE` adding its search vector, and the outbox row.
    private func pgbenchScript(asTheService: Bool = false) throws -> String {
        let file = bench.out.appendingPathComponent(asTheService ? "tickets-as-the-service.pgbench" : "tickets.pgbench")
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let subject = "Нет интернета с утра"
        let text = TicketCorpus.messages[0]
        let id = asTheService ? "'pgbench-' || :client_id || '-' || :number" : "gen_random_uuid()::text"
        let ticket = """
            INSERT INTO support_tickets (id, number, customer_id, user_id, customer_name, subject, requested_category, category, priority, \
            priority_rank, reasons, status, locale, address, created_at, updated_at, paused, sla_due_at) VALUES (\(id), \
            \(asTheService ? ":number" : "nextval('support_ticket_numbers')"), 'pgbench-customer-' || :customer, 'pgbench-user-' || :customer, \
            'Иван Петров', '\(subject)', 'no_connection', 'no_connection', 'normal', 1, '[]', 'new', 'ru', 'Москва, ул. Тверская, 12', \(now), \
            \(now), '[]', \(now + 8 * 3_600_000_000));
            """
        let outbox = """
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at) VALUES (gen_random_uuid()::text, \
            'ticket.created', 1, \(now), '{"ticketId":"pgbench","number":1,"customerId":"pgbench-customer","userId":"pgbench-user",\
            "category":"no_connection","priority":"normal","subject":"\(subject)","address":"Москва, ул. Тверская, 12","locale":"ru"}', 0);
            """
        let service = """
            INSERT INTO support_messages (id, ticket_id, seq, author, author_id, author_name, internal, body, created_at) VALUES \
            (gen_random_uuid()::text, \(id), (SELECT COALESCE(MAX(seq), 0) + 1 FROM support_messages WHERE ticket_id = \(id)), 'customer', 'pgbench-user-' || :customer, 'Иван Петров', false, '\(text)', \(now));
            UPDATE support_tickets SET search = search || to_tsvector('russian', '\(subject) \(text)') WHERE id = \(id);
            """
        let lines =
            ["-- Generated by lastmile-bench measure support.", "\\set customer random(1, \(load.customers))", "BEGIN;"]
            + (asTheService ? ["SELECT nextval('support_ticket_numbers') AS number \\gset", ticket, service] : [ticket]) + [outbox, "END;"]
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
