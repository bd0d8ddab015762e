import Storage

/// The support desk's tables: tickets, their messages, operators, the priority rules and known outages.
struct CreateSupportTables: Migration {
    let name = "CreateSupportTables"

    func apply(on database: any SQLExecutor) async throws {
        // Numbers people quote: a sequence on PostgreSQL, so creating tickets never queues on one counter row; the
        // single writer of SQLite numbers them in order anyway.
        if database.dialect == .postgres {
            try await database.query("CREATE SEQUENCE support_ticket_numbers", [])
        }
        try await database.query(
            """
            CREATE TABLE support_tickets (
                id TEXT PRIMARY KEY,
                number BIGINT NOT NULL UNIQUE,
                customer_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                customer_name TEXT NOT NULL,
                subject TEXT NOT NULL,
                requested_category TEXT NOT NULL,
                category TEXT NOT NULL,
                priority TEXT NOT NULL,
                priority_rank INTEGER NOT NULL,
                reasons TEXT NOT NULL,
                status TEXT NOT NULL,
                locale TEXT NOT NULL,
                address TEXT,
                about_kind TEXT,
                about_id TEXT,
                assignee_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                first_responded_at BIGINT,
                awaiting_reply_since BIGINT,
                waiting_since BIGINT,
                paused TEXT NOT NULL,
                resolved_at BIGINT,
                closed_at BIGINT,
                sla_due_at BIGINT,
                sla_warn_at BIGINT,
                merged_into TEXT,
                rating INTEGER,
                rating_comment TEXT,
                rated_at BIGINT
            )
            """, [])
        try await database.query("CREATE INDEX support_tickets_customer ON support_tickets (customer_id, created_at)", [])
        try await database.query("CREATE INDEX support_tickets_user ON support_tickets (user_id, created_at)", [])
        try await database.query("CREATE INDEX support_tickets_assignee ON support_tickets (assignee_id, status, sla_due_at)", [])
        // Operators' loads, counted on every assignment pass: the active tickets only, however long the history.
        try await database.query(
            "CREATE INDEX support_tickets_load ON support_tickets (assignee_id) WHERE status IN ('new', 'open', 'waiting_for_customer')", [])
        try await database.query("CREATE INDEX support_tickets_status ON support_tickets (status, priority_rank, created_at)", [])
        try await database.query(
            """
            CREATE INDEX support_tickets_waiting ON support_tickets (priority_rank DESC, created_at, id)
            WHERE assignee_id IS NULL AND status IN ('new', 'open')
            """, [])
        try await database.query("CREATE INDEX support_tickets_about ON support_tickets (about_kind, about_id)", [])
        // The SLA watcher's candidates: running tickets by due time.
        try await database.query(
            "CREATE INDEX support_tickets_due ON support_tickets (sla_due_at) WHERE status IN ('new', 'open')", [])
        try await database.query(
            """
            CREATE TABLE support_messages (
                id TEXT PRIMARY KEY,
                ticket_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                author TEXT NOT NULL,
                author_id TEXT,
                author_name TEXT NOT NULL,
                internal BOOLEAN NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """, [])
        // The conversation's order: every writer holds the ticket's row, so the next number is taken without a race.
        try await database.query("CREATE UNIQUE INDEX support_messages_order ON support_messages (ticket_id, seq)", [])
        try await database.query(
            """
            CREATE TABLE support_agents (
                user_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                skills TEXT NOT NULL,
                languages TEXT NOT NULL,
                state TEXT NOT NULL,
                maximum_open INTEGER NOT NULL,
                supervisor BOOLEAN NOT NULL,
                working_hours TEXT,
                assigned_turn BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
        try await database.query(
            """
            CREATE TABLE support_priority_rules (
                id INTEGER PRIMARY KEY,
                rules TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
        try await database.query(
            """
            CREATE TABLE support_incidents (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                areas TEXT NOT NULL,
                opened_at BIGINT NOT NULL
            )
            """, [])
        try await database.query(
            """
            CREATE TABLE support_canned_replies (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                category TEXT,
                locale TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
        // Secrets the desk makes for itself on first use (the rating links' key), shared by every replica.
        try await database.query("CREATE TABLE support_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)", [])
        try await database.query(
            """
            CREATE TABLE support_sla_breaches (
                ticket_id TEXT NOT NULL,
                target TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                PRIMARY KEY (ticket_id, target, due_at)
            )
            """, [])
    }
}
