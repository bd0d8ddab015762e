import Contracts
import Foundation
import Kernel
import Storage

/// SQL for the `contracts` and `contract_counters` tables.
enum ContractStore {
    static let columns = "id, customer_id, number, city, street, building, apartment, signed_on, is_active"

    static func insert(_ contract: Contract, createdAt: Date, in db: any SQLExecutor) async throws {
        let address = contract.address
        try await db.query(
            """
            INSERT INTO contracts (id, customer_id, number, city, street, building, apartment, address_key, signed_on, is_active, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            contract.id, contract.customerId, contract.number, address.city, address.street, address.building, address.apartment,
            SearchKey.address(street: address.street, building: address.building, apartment: address.apartment),
            contract.signedOn.description, contract.isActive, createdAt)
    }

    /// A customer's contracts, oldest first.
    static func contracts(customerID: String, in db: any SQLExecutor) async throws -> [Contract] {
        try await db.query("SELECT \(columns) FROM contracts WHERE customer_id = $1 ORDER BY created_at, number", customerID).map(contract)
    }

    /// The oldest contract of each of `customerIDs` that has one.
    static func firstContracts(customerIDs: [String], in db: any SQLExecutor) async throws -> [String: Contract] {
        guard !customerIDs.isEmpty else { return [:] }
        let placeholders = (1...customerIDs.count).map { "$\($0)" }.joined(separator: ", ")
        let rows = try await db.query(
            "SELECT \(columns) FROM contracts WHERE customer_id IN (\(placeholders)) ORDER BY customer_id, created_at, number",
            customerIDs.map(\.sqlValue))
        var first: [String: Contract] = [:]
        for row in rows {
            let contract = try contract(row)
            if first[contract.customerId] == nil { first[contract.customerId] = contract }
        }
        return first
    }

    /// Takes `count` consecutive sequence values of `scope` and returns the last; the first is `last - count + 1`.
    ///
    /// One statement that both creates and increments the counter row: the row lock it takes makes concurrent
    /// callers (in this process or another) wait for each other, so no value is handed out twice.
    static func reserveSequence(scope: String, count: Int = 1, in db: any SQLExecutor) async throws -> Int64 {
        let row = try await db.first(
            """
            INSERT INTO contract_counters (scope, last_value) VALUES ($1, $2)
            ON CONFLICT (scope) DO UPDATE SET last_value = contract_counters.last_value + $2
            RETURNING last_value
            """,
            scope, count)
        guard let row else { throw StorageError.decoding(column: "last_value", expected: "the counter's new value") }
        return try row.int64("last_value")
    }

    static func contract(_ row: SQLRow) throws -> Contract { try contract(row, prefix: "") }

    /// A contract from columns named `prefix` + the column, as a join names them.
    static func contract(_ row: SQLRow, prefix: String) throws -> Contract {
        let columns = try row.decode(Row.self, prefix: prefix)
        return Contract(
            id: columns.id, customerId: columns.customerId, number: columns.number,
            address: PostalAddress(city: columns.city, street: columns.street, building: columns.building, apartment: columns.apartment),
            signedOn: columns.signedOn, isActive: columns.isActive)
    }

    /// The columns of ``columns``: a contract with its address flat.
    private struct Row: Decodable {
        let id: String
        let customerId: String
        let number: String
        let city: String
        let street: String
        let building: String
        let apartment: String?
        let signedOn: LocalDate
        let isActive: Bool
    }
}
