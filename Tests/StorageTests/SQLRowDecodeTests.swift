import Foundation
import Storage
import TestSupport
import Testing

@Suite("Rows decoded into Decodable structs")
struct SQLRowDecodeTests {
    enum Colour: String, Decodable { case red, green }

    struct Thing: Decodable, Equatable {
        let id: String
        let userID: String
        let n: Int64
        let label: String?
        let flag: Bool
        let at: Date?
        let colour: Colour
    }

    static let table = MigrationSet(
        service: "test",
        migrations: [
            SQLMigration(
                "CreateThings",
                ["CREATE TABLE things (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, n BIGINT, label TEXT, flag BOOLEAN, at BIGINT, colour TEXT)"])
        ])

    /// Properties read the columns of their names in snake case, with each engine's values converted alike.
    @Test(arguments: DatabaseKind.available)
    func propertiesReadTheirColumns(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            let time = Date(microsecondsSince1970: 1_790_000_000_123_456)
            try await db.query(
                "INSERT INTO things (id, user_id, n, label, flag, at, colour) VALUES ($1, $2, $3, $4, $5, $6, $7)", "a", "u1", Int64.max,
                "Привет", true, time, "red")
            try await db.query(
                "INSERT INTO things (id, user_id, n, label, flag, at, colour) VALUES ($1, $2, $3, $4, $5, $6, $7)", "b", "u2", -7,
                nil as String?, false, nil as Date?, "green")
            let things = try await db.query("SELECT id, user_id, n, label, flag, at, colour FROM things ORDER BY id", []).map {
                try $0.decode(Thing.self)
            }
            #expect(
                things == [
                    Thing(id: "a", userID: "u1", n: .max, label: "Привет", flag: true, at: time, colour: .red),
                    Thing(id: "b", userID: "u2", n: -7, label: nil, flag: false, at: nil, colour: .green),
                ])
        }
    }

    /// A joined table's columns, selected under a prefix, decode with that prefix.
    @Test func aPrefixSelectsAJoinedTablesColumns() throws {
        struct Joined: Decodable, Equatable {
            let id: String
            let lastSeenAt: Int
        }
        let row = SQLRow(columns: ["id", "last_seen_at", "k_id", "k_last_seen_at"], values: [.text("x"), .integer(1), .text("y"), .integer(2)])
        #expect(try row.decode(Joined.self) == Joined(id: "x", lastSeenAt: 1))
        #expect(try row.decode(Joined.self, prefix: "k_") == Joined(id: "y", lastSeenAt: 2))
    }

    /// A run of capitals is one word: `URLPath` reads `url_path`, `sessionID` reads `session_id`.
    @Test func capitalsStartWords() throws {
        struct Keys: Decodable, Equatable {
            let URLPath: String
            let sessionID: String
            let ipAddress: String
        }
        let row = SQLRow(columns: ["ip_address", "session_id", "url_path"], values: [.text("ip"), .text("s"), .text("u")])
        #expect(try row.decode(Keys.self) == Keys(URLPath: "u", sessionID: "s", ipAddress: "ip"))
    }

    /// A missing column, a NULL in a non-optional property, a value of the wrong kind and an unknown enum value each
    /// throw a decoding error naming the column, an optional property included.
    @Test func mismatchesNameTheirColumn() throws {
        struct Optional: Decodable { let label: String? }
        struct Flag: Decodable { let isActive: Bool }
        struct Paint: Decodable { let colour: Colour }
        func column(_ body: () throws -> Void) -> String? {
            do {
                try body()
                return nil
            } catch StorageError.decoding(let column, _) {
                return column
            } catch {
                return "other: \(error)"
            }
        }
        let row = SQLRow(columns: ["is_active", "colour"], values: [.null, .text("blue")])
        #expect(column { _ = try row.decode(Optional.self) } == "label")
        #expect(column { _ = try row.decode(Flag.self) } == "is_active")
        #expect(column { _ = try row.decode(Paint.self) } == "colour")
        #expect(column { _ = try SQLRow(columns: ["is_active"], values: [.text("yes")]).decode(Flag.self) } == "is_active")
        #expect(column { _ = try row.decode(Paint.self, prefix: "k_") } == "k_colour")
    }
}
