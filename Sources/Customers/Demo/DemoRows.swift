import Contracts
import Foundation
import Kernel
import Storage

/// One batch of demo customers and contracts as table rows, and the two ways of inserting them.
struct DemoRows: Sendable {
    struct Row: Sendable {
        var person: DemoCustomer
        var customerID: String
        var userID: String
        var contractID: String
        var number: String
        var createdAt: Int64
    }

    let rows: [Row]

    /// Rows with time-ordered ids; `userID` names the user accounts, else they get time-ordered ids too.
    init(people: [DemoCustomer], numbers: [String], userID: ((DemoCustomer) -> String)?) {
        let (customers, contracts, users) = (DemoIDs(), DemoIDs(), DemoIDs())
        rows = zip(people, numbers).enumerated().map { offset, element in
            let (person, number) = element
            // Registered at noon Moscow time of the signing day.
            let createdAt = Int64(person.signedOn.dayNumber * 86_400 + 9 * 3600) * 1_000_000
            return Row(
                person: person, customerID: customers.id(offset), userID: userID?(person) ?? users.id(offset), contractID: contracts.id(offset),
                number: number, createdAt: createdAt)
        }
    }

    var seeded: [DemoSeededCustomer] {
        rows.map { row in
            DemoSeededCustomer(
                index: row.person.index, customerId: row.customerID, userId: row.userID, contractId: row.contractID, contractNumber: row.number,
                email: row.person.email, fullName: row.person.fullName, locale: row.person.locale)
        }
    }

    static let customerColumns = "id, user_id, full_name, name_key, phone, phone_reversed, email, email_key, status, locale, created_at, updated_at"
    static let contractColumns = "id, customer_id, number, city, street, building, apartment, address_key, signed_on, is_active, created_at"

    private func customerValues(_ row: Row) -> [SQLValue] {
        let person = row.person
        return [
            .text(row.customerID), .text(row.userID), .text(person.fullName), .text(SearchKey.name(person.fullName)), .text(person.phone),
            .text(PhoneNumber.reversedDigits(person.phone)), .text(person.email), .text(EmailAddress.key(person.email)),
            .text(CustomerStatus.active.rawValue), .text(person.locale), .integer(row.createdAt), .integer(row.createdAt),
        ]
    }

    private func contractValues(_ row: Row) -> [SQLValue] {
        let address = row.person.address
        return [
            .text(row.contractID), .text(row.customerID), .text(row.number), .text(address.city), .text(address.street), .text(address.building),
            address.apartment.map(SQLValue.text) ?? .null,
            .text(SearchKey.address(street: address.street, building: address.building, apartment: address.apartment)),
            .text(row.person.signedOn.description), .bool(true), .integer(row.createdAt),
        ]
    }

    /// PostgreSQL: each table's batch as one `INSERT … SELECT FROM unnest(…)` with an array parameter per column.
    func insertWithArrays(in tx: any SQLExecutor) async throws {
        let customerTypes = Array(repeating: "text", count: 10) + ["bigint", "bigint"]
        try await insertArrays(table: "customers", columns: Self.customerColumns, types: customerTypes, values: rows.map(customerValues), in: tx)
        let contractTypes = Array(repeating: "text", count: 9) + ["boolean", "bigint"]
        try await insertArrays(table: "contracts", columns: Self.contractColumns, types: contractTypes, values: rows.map(contractValues), in: tx)
    }

    /// SQLite: multi-row `INSERT`s of a few hundred rows each.
    func insertWithValues(in tx: any SQLExecutor) async throws {
        for chunk in stride(from: 0, to: rows.count, by: 400).map({ rows[$0..<min($0 + 400, rows.count)] }) {
            try await insertValues(table: "customers", columns: Self.customerColumns, width: 12, values: chunk.flatMap(customerValues), in: tx)
            try await insertValues(table: "contracts", columns: Self.contractColumns, width: 11, values: chunk.flatMap(contractValues), in: tx)
        }
    }

    private func insertArrays(table: String, columns: String, types: [String], values: [[SQLValue]], in tx: any SQLExecutor) async throws {
        var arrays = Array(repeating: PostgresArrayLiteral(), count: types.count)
        for row in values {
            for (column, value) in row.enumerated() { arrays[column].append(value) }
        }
        let parameters = types.enumerated().map { "$\($0.offset + 1)::\($0.element)[]" }.joined(separator: ", ")
        try await tx.query("INSERT INTO \(table) (\(columns)) SELECT * FROM unnest(\(parameters))", arrays.map { .text($0.literal) })
    }

    private func insertValues(table: String, columns: String, width: Int, values: [SQLValue], in tx: any SQLExecutor) async throws {
        let rowCount = values.count / width
        let tuples = (0..<rowCount).map { row in
            "(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")"
        }
        try await tx.query("INSERT INTO \(table) (\(columns)) VALUES \(tuples.joined(separator: ", "))", values)
    }
}
