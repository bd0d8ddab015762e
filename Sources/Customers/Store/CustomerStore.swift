import Contracts
import Foundation
import Storage

/// A customer row without its contracts, decoded from ``CustomerStore/columns``.
struct CustomerRecord: Sendable, Hashable, Decodable {
    var id: String
    var userID: String
    var fullName: String
    var phone: String?
    var email: String?
    var status: CustomerStatus
    var locale: String
    var createdAt: Date
    var updatedAt: Date

    func customer(contracts: [Contract]) -> Customer {
        Customer(
            id: id, userId: userID, fullName: fullName, phone: phone, email: email, status: status, locale: locale, contracts: contracts,
            createdAt: createdAt)
    }
}

/// SQL for the `customers` table.
enum CustomerStore {
    static let columns = "id, user_id, full_name, phone, email, status, locale, created_at, updated_at"

    static func insert(_ record: CustomerRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO customers (id, user_id, full_name, name_key, phone, phone_reversed, email, email_key, status, locale, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            record.id, record.userID, record.fullName, SearchKey.name(record.fullName), record.phone, record.phone.map(PhoneNumber.reversedDigits),
            record.email, record.email.map(EmailAddress.key), record.status.rawValue, record.locale, record.createdAt, record.updatedAt)
    }

    static func update(_ record: CustomerRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            UPDATE customers SET full_name = $2, name_key = $3, phone = $4, phone_reversed = $5, email = $6, email_key = $7,
                status = $8, locale = $9, updated_at = $10
            WHERE id = $1
            """,
            record.id, record.fullName, SearchKey.name(record.fullName), record.phone, record.phone.map(PhoneNumber.reversedDigits),
            record.email, record.email.map(EmailAddress.key), record.status.rawValue, record.locale, record.updatedAt)
    }

    static func find(id: String, in db: any SQLExecutor) async throws -> CustomerRecord? {
        try await db.first("SELECT \(columns) FROM customers WHERE id = $1", id).map(record)
    }

    static func find(userID: String, in db: any SQLExecutor) async throws -> CustomerRecord? {
        try await db.first("SELECT \(columns) FROM customers WHERE user_id = $1", userID).map(record)
    }

    /// The customer of `userID` with their contracts, oldest first, in one statement: the personal account reads it
    /// on every page.
    static func findWithContracts(userID: String, in db: any SQLExecutor) async throws -> (CustomerRecord, [Contract])? {
        let rows = try await db.query(withContractsSQL, userID)
        guard let first = rows.first else { return nil }
        let contracts = try rows.filter { try $0.optionalString("k_id") != nil }.map { try ContractStore.contract($0, prefix: "k_") }
        return (try record(first), contracts)
    }

    static let withContractsSQL = PreparedSQL(
        """
        SELECT c.id, c.user_id, c.full_name, c.phone, c.email, c.status, c.locale, c.created_at, c.updated_at,
            k.id AS k_id, k.customer_id AS k_customer_id, k.number AS k_number, k.city AS k_city, k.street AS k_street,
            k.building AS k_building, k.apartment AS k_apartment, k.signed_on AS k_signed_on, k.is_active AS k_is_active
        FROM customers c LEFT JOIN contracts k ON k.customer_id = c.id
        WHERE c.user_id = $1
        ORDER BY k.created_at, k.number
        """)

    /// The rows of `ids`, in no particular order.
    static func find(ids: [String], in db: any SQLExecutor) async throws -> [CustomerRecord] {
        guard !ids.isEmpty else { return [] }
        let placeholders = (1...ids.count).map { "$\($0)" }.joined(separator: ", ")
        return try await db.query("SELECT \(columns) FROM customers WHERE id IN (\(placeholders))", ids.map(\.sqlValue)).map(record)
    }

    static func count(in db: any SQLExecutor) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM customers")?.int("n") ?? 0
    }

    static func record(_ row: SQLRow) throws -> CustomerRecord { try row.decode(CustomerRecord.self) }
}
