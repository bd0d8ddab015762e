import Crypto
import Foundation
import Kernel
import Storage

/// A ``BlobStore`` in a table of the service's own database (SQLite or PostgreSQL), for deployments whose processes
/// share no disk. Its table comes with ``BlobsMigrations``, which the service migrates with its own sets.
///
/// Each row keeps the blob's size and SHA-256 beside its bytes, and a read checks both: a row that no longer matches
/// throws ``BlobStoreError/corrupted(key:)`` instead of returning other bytes.
public struct DatabaseBlobStore: BlobStore {
    private let database: any Database
    private let clock: any WallClock

    /// A store in `database`, which ``BlobsMigrations/set`` has migrated; `clock` stamps each row's creation.
    public init(database: any Database, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// Inserts a row with the bytes, their size and their digest under a fresh key.
    public func put(_ data: Data) async throws -> String {
        let key = BlobKey.generate()
        try await database.query(
            "INSERT INTO blobs (blob_key, size, sha256, content, created_at) VALUES ($1, $2, $3, $4, $5)",
            [.text(key), .integer(Int64(data.count)), .text(Self.digest(data)), .bytes(Array(data)), clock.now().sqlValue])
        return key
    }

    /// The row's bytes after checking their size and digest; `nil` when there is no row.
    public func get(_ key: String) async throws -> Data? {
        let key = try BlobKey.checked(key)
        guard let row = try await database.first("SELECT size, sha256, content FROM blobs WHERE blob_key = $1", key) else {
            return nil
        }
        let stored = try row.decode(StoredBlob.self)
        guard stored.content.count == stored.size, Self.digest(stored.content) == stored.sha256 else {
            throw BlobStoreError.corrupted(key: key)
        }
        return stored.content
    }

    /// Deletes the row, if any.
    public func delete(_ key: String) async throws {
        try await database.query("DELETE FROM blobs WHERE blob_key = $1", try BlobKey.checked(key))
    }

    private static func digest(_ data: Data) -> String {
        Hex.lowercase(SHA256.hash(data: data))
    }
}

/// One row of `blobs` as read back.
private struct StoredBlob: Decodable {
    let size: Int
    let sha256: String
    let content: Data
}
