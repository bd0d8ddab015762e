import Foundation
import Logging

/// Opens the database the configuration names: PostgreSQL for a `postgres://` URL, else the SQLite file.
public enum DatabaseFactory {
    /// PostgreSQL when `url` is set, else SQLite at `dataDirectory/lastmile.sqlite`.
    public static func open(url: String?, dataDirectory: String, logger: Logger) async throws -> any Database {
        if let url, !url.isEmpty {
            return try PostgresDatabase(url: url, logger: logger)
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("lastmile.sqlite").path
        return try await SQLiteDatabase.open(path: path, logger: logger)
    }
}
