import Storage

/// The `blobs` table behind ``DatabaseBlobStore``: one row per blob, its bytes with their size and SHA-256 (lower-case
/// hex), created at a time in microseconds.
struct CreateBlobs: Migration {
    let name = "CreateBlobs"

    func apply(on database: any SQLExecutor) async throws {
        let bytes = database.dialect == .postgres ? "BYTEA" : "BLOB"
        try await database.query(
            """
            CREATE TABLE blobs (
                blob_key TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                content \(bytes) NOT NULL,
                created_at BIGINT NOT NULL
            )
            """, [])
        if database.dialect == .postgres {
            // Photos and PDFs are compressed already: store them out of line without trying again.
            try await database.query("ALTER TABLE blobs ALTER COLUMN content SET STORAGE EXTERNAL", [])
        }
    }
}
