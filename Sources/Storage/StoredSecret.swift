import Foundation
import Kernel

/// A service's own random key, made on first use and kept in one of its tables (`name TEXT PRIMARY KEY, value TEXT`),
/// so that every replica signs and checks alike: support's rating links, notifications' unsubscribe links.
public enum StoredSecret {
    /// The 32-byte key `name` in `table`: made now if there is none (a concurrent maker's key wins, once).
    public static func key(named name: String, in table: String, database: any SQLExecutor) async throws -> Data {
        try await database.query(
            PreparedSQL("INSERT INTO \(table) (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"),
            [.text(name), .text(SecureRandom.token(bytes: 32))])
        guard let row = try await database.query(PreparedSQL("SELECT value FROM \(table) WHERE name = $1"), [.text(name)]).first,
            let key = Base64URL.decode(Substring(try row.string("value")))
        else { throw StorageError.decoding(column: "value", expected: "a key") }
        return Data(key)
    }
}
