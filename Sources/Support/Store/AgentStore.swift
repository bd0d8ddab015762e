import Contracts
import Foundation
import Storage

/// One row of `support_agents`.
struct AgentRecord: Sendable, Equatable {
    var userID: String
    var name: String
    var skills: [TicketCategory]
    var languages: [String]
    var state: AgentState
    var maximumOpen: Int
    var isSupervisor: Bool
    /// Their shift as the administrator wrote it, if they have one.
    var workingHours: String?

    /// The shift, parsed (it was checked when set).
    var shift: WorkingHours? { workingHours.flatMap { try? WorkingHours(parsing: $0) } }
    /// The round-robin turn of its last assignment: the lowest goes first among equally loaded operators.
    var assignedTurn: Int64

    func agent(openTickets: Int) -> SupportAgent {
        SupportAgent(
            userId: userID, name: name, skills: skills, languages: languages, state: state, maximumOpenTickets: maximumOpen,
            openTickets: openTickets, isSupervisor: isSupervisor, workingHours: workingHours)
    }
}

/// SQL for `support_agents` and operators' loads.
enum AgentStore {
    static let columns = "user_id, name, skills, languages, state, maximum_open, supervisor, working_hours, assigned_turn"

    static func all(in db: any SQLExecutor, onlineOnly: Bool = false) async throws -> [AgentRecord] {
        let filter = onlineOnly ? " WHERE state = 'online'" : ""
        return try await db.query("SELECT \(columns) FROM support_agents\(filter) ORDER BY user_id", []).map(read)
    }

    static func find(userID: String, in db: any SQLExecutor) async throws -> AgentRecord? {
        try await db.query("SELECT \(columns) FROM support_agents WHERE user_id = $1", userID).first.map(read)
    }

    static func upsert(_ a: AgentRecord, at now: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO support_agents (user_id, name, skills, languages, state, maximum_open, supervisor, working_hours, assigned_turn,
                updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, skills = excluded.skills, languages = excluded.languages,
                state = excluded.state, maximum_open = excluded.maximum_open, supervisor = excluded.supervisor,
                working_hours = excluded.working_hours, updated_at = excluded.updated_at
            """,
            a.userID, a.name, TicketStore.json(a.skills), TicketStore.json(a.languages), a.state.rawValue, a.maximumOpen, a.isSupervisor,
            a.workingHours, a.assignedTurn, now)
    }

    /// The names of the operators among `userIDs`, by user id.
    static func names(of userIDs: Set<String>, in db: any SQLExecutor) async throws -> [String: String] {
        guard !userIDs.isEmpty else { return [:] }
        let ids = userIDs.sorted()
        let list = ids.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let rows = try await db.query(
            PreparedSQL("SELECT user_id, name FROM support_agents WHERE user_id IN (\(list))"), ids.map { SQLValue.text($0) })
        return try Dictionary(uniqueKeysWithValues: rows.map { (try $0.string("user_id"), try $0.string("name")) })
    }

    static func setTurn(userID: String, turn: Int64, in db: any SQLExecutor) async throws {
        try await db.query("UPDATE support_agents SET assigned_turn = $2 WHERE user_id = $1", userID, turn)
    }

    /// Active tickets per operator.
    static func loads(in db: any SQLExecutor) async throws -> [String: Int] {
        let rows = try await db.query(
            """
            SELECT assignee_id, COUNT(*) AS n FROM support_tickets
            WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'waiting_for_customer') GROUP BY assignee_id
            """, [])
        return try Dictionary(uniqueKeysWithValues: rows.map { (try $0.string("assignee_id"), try $0.int("n")) })
    }

    static func load(of userID: String, in db: any SQLExecutor) async throws -> Int {
        try await db.query(
            "SELECT COUNT(*) AS n FROM support_tickets WHERE assignee_id = $1 AND status IN ('new', 'open', 'waiting_for_customer')", userID
        )[0].int("n")
    }

    private static func read(_ row: SQLRow) throws -> AgentRecord {
        AgentRecord(
            userID: try row.string("user_id"), name: try row.string("name"),
            skills: try JSONDecoder().decode([TicketCategory].self, from: Data(try row.string("skills").utf8)),
            languages: try JSONDecoder().decode([String].self, from: Data(try row.string("languages").utf8)),
            state: AgentState(rawValue: try row.string("state")) ?? .offline, maximumOpen: try row.int("maximum_open"),
            isSupervisor: try row.bool("supervisor"), workingHours: try row.optionalString("working_hours"),
            assignedTurn: try row.int64("assigned_turn"))
    }
}

/// SQL for the priority rules and the known outages.
enum RulesStore {
    /// The rules an administrator set, or nil when none were ever set.
    static func rules(in db: any SQLExecutor) async throws -> [PriorityRule]? {
        guard let row = try await db.query("SELECT rules FROM support_priority_rules WHERE id = 1", []).first else { return nil }
        return try JSONDecoder().decode([PriorityRule].self, from: Data(try row.string("rules").utf8))
    }

    static func save(_ rules: [PriorityRule], at now: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO support_priority_rules (id, rules, updated_at) VALUES (1, $1, $2)
            ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
            """, TicketStore.json(rules), now)
    }

    /// The outages monitoring reported and has not resolved, oldest first.
    static func outages(in db: any SQLExecutor) async throws -> [KnownOutage] {
        try await db.query("SELECT title, areas FROM support_incidents ORDER BY opened_at", []).map { row in
            KnownOutage(title: try row.string("title"), areas: try JSONDecoder().decode([String].self, from: Data(try row.string("areas").utf8)))
        }
    }

    static func openIncident(_ event: IncidentOpened, at time: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            "INSERT INTO support_incidents (id, title, areas, opened_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
            event.incidentId, event.title, TicketStore.json(event.areas), time)
    }

    static func resolveIncident(_ id: String, in db: any SQLExecutor) async throws {
        try await db.query("DELETE FROM support_incidents WHERE id = $1", id)
    }
}
