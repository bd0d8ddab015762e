import Contracts
import Storage

/// The operator search's SQL: one bounded index range scan per ``SearchPlan/Branch``, merged in name order.
///
/// The name branch walks `customers_name` in result order and stops after one page. Other branches read at most
/// `candidateLimit` index entries in their own key's order, then sort those few by name; a key that matches more
/// customers than that (`+7916`, `LM-2026`) shows the first `candidateLimit` by that key. The work of a page is
/// thus bounded whatever the table's size, and the same plan runs on SQLite and PostgreSQL.
enum SearchStore {
    /// The next `limit` customers (id and name key) in `(name_key, id)` order after `position`.
    static func page(
        _ plan: SearchPlan, status: CustomerStatus?, after position: SearchPosition?, limit: Int, candidateLimit: Int, in db: any SQLExecutor
    ) async throws -> [SearchPosition] {
        guard !plan.branches.isEmpty else { return [] }
        var query = Statement()
        var parts: [String] = []
        for (index, branch) in plan.branches.enumerated() {
            let sql = query.branch(branch, status: status, after: position, limit: limit, candidates: candidateLimit)
            parts.append("SELECT id, name_key FROM (\(sql)) AS b\(index)")
        }
        let sql = parts.joined(separator: "\nUNION\n") + "\nORDER BY name_key, id LIMIT \(limit)"
        return try await db.query(sql, query.binds).map { row in
            let columns = try row.decode(Row.self)
            return SearchPosition(k: columns.nameKey, i: columns.id)
        }
    }

    /// A page's row: a customer's id and name key.
    private struct Row: Decodable {
        let id: String
        let nameKey: String
    }

    /// A statement being built, with its binds numbered as they are added.
    private struct Statement {
        var binds: [SQLValue] = []

        mutating func bind(_ value: String) -> String {
            binds.append(.text(value))
            return "$\(binds.count)"
        }

        mutating func branch(_ branch: SearchPlan.Branch, status: CustomerStatus?, after position: SearchPosition?, limit: Int, candidates: Int)
            -> String
        {
            switch branch {
            case .namePrefix(let prefix):
                let filter = range("c.name_key", prefix) + self.filter(status: status, after: position)
                return "SELECT c.id, c.name_key FROM customers c WHERE \(filter) ORDER BY c.name_key, c.id LIMIT \(limit)"
            case .emailExact(let email):
                return exact("c.email_key", email, status: status, after: position, limit: limit)
            case .phoneExact(let phone):
                return exact("c.phone", phone, status: status, after: position, limit: limit)
            case .emailPrefix(let prefix):
                return customerCandidates("email_key", prefix, status: status, after: position, limit: limit, candidates: candidates)
            case .phonePrefix(let prefix):
                return customerCandidates("phone", prefix, status: status, after: position, limit: limit, candidates: candidates)
            case .phoneSuffix(let reversed):
                return customerCandidates("phone_reversed", reversed, status: status, after: position, limit: limit, candidates: candidates)
            case .contractPrefix(let prefix):
                return contractCandidates("number", prefix, status: status, after: position, limit: limit, candidates: candidates)
            case .addressPrefix(let prefix):
                return contractCandidates("address_key", prefix, status: status, after: position, limit: limit, candidates: candidates)
            }
        }

        private mutating func exact(_ column: String, _ value: String, status: CustomerStatus?, after position: SearchPosition?, limit: Int)
            -> String
        {
            let filter = "\(column) = \(bind(value))" + self.filter(status: status, after: position)
            return "SELECT c.id, c.name_key FROM customers c WHERE \(filter) ORDER BY c.name_key, c.id LIMIT \(limit)"
        }

        private mutating func customerCandidates(
            _ column: String, _ prefix: String, status: CustomerStatus?, after position: SearchPosition?, limit: Int, candidates: Int
        ) -> String {
            let inner = "SELECT id, name_key, status FROM customers WHERE \(range(column, prefix)) ORDER BY \(column) LIMIT \(candidates)"
            return "SELECT c.id, c.name_key FROM (\(inner)) c WHERE 1 = 1\(filter(status: status, after: position))"
                + " ORDER BY c.name_key, c.id LIMIT \(limit)"
        }

        private mutating func contractCandidates(
            _ column: String, _ prefix: String, status: CustomerStatus?, after position: SearchPosition?, limit: Int, candidates: Int
        ) -> String {
            let inner = "SELECT customer_id FROM contracts WHERE \(range(column, prefix)) ORDER BY \(column) LIMIT \(candidates)"
            return "SELECT DISTINCT c.id, c.name_key FROM (\(inner)) m JOIN customers c ON c.id = m.customer_id"
                + " WHERE 1 = 1\(filter(status: status, after: position)) ORDER BY c.name_key, c.id LIMIT \(limit)"
        }

        private mutating func range(_ column: String, _ prefix: String) -> String {
            var condition = "\(column) >= \(bind(prefix))"
            if let upper = SearchKey.upperBound(ofPrefix: prefix) { condition += " AND \(column) < \(bind(upper))" }
            return condition
        }

        private mutating func filter(status: CustomerStatus?, after position: SearchPosition?) -> String {
            var condition = ""
            if let status { condition += " AND c.status = \(bind(status.rawValue))" }
            if let position { condition += " AND (c.name_key, c.id) > (\(bind(position.k)), \(bind(position.i)))" }
            return condition
        }
    }
}
