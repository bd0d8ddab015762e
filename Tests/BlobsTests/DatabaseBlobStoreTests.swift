import Blobs
import Foundation
import Storage
import TestSupport
import Testing

@Suite("DatabaseBlobStore on SQLite and PostgreSQL")
struct DatabaseBlobStoreTests {
    func withStore(_ kind: DatabaseKind, _ body: @escaping @Sendable (DatabaseBlobStore, any Database) async throws -> Void) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, BlobsMigrations.set]) { database in
            try await body(DatabaseBlobStore(database: database), database)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func roundTrips(kind: DatabaseKind) async throws {
        try await withStore(kind) { store, _ in try await BlobStoreContract.roundTrips(store) }
    }

    @Test(arguments: DatabaseKind.available)
    func missingKeysReadAsNothing(kind: DatabaseKind) async throws {
        try await withStore(kind) { store, _ in try await BlobStoreContract.missingKeysReadAsNothing(store) }
    }

    @Test(arguments: DatabaseKind.available)
    func deletes(kind: DatabaseKind) async throws {
        try await withStore(kind) { store, _ in try await BlobStoreContract.deletes(store) }
    }

    @Test(arguments: DatabaseKind.available)
    func refusesForgedKeys(kind: DatabaseKind) async throws {
        try await withStore(kind) { store, _ in try await BlobStoreContract.refusesForgedKeys(store) }
    }

    @Test(arguments: DatabaseKind.available)
    func aRowWhoseBytesChangedIsAnErrorNotOtherBytes(kind: DatabaseKind) async throws {
        try await withStore(kind) { store, database in
            let original = Data("%PDF-1.7 квитанция на 1 500,00 ₽".utf8)
            let flipped = try await store.put(original)
            var altered = original
            altered[altered.startIndex + 10] ^= 0x01
            try await database.query("UPDATE blobs SET content = $1 WHERE blob_key = $2", [.bytes(Array(altered)), .text(flipped)])
            await #expect(throws: BlobStoreError.corrupted(key: flipped)) { try await store.get(flipped) }

            let truncated = try await store.put(original)
            try await database.query(
                "UPDATE blobs SET content = $1 WHERE blob_key = $2", [.bytes(Array(original.prefix(5))), .text(truncated)])
            await #expect(throws: BlobStoreError.corrupted(key: truncated)) { try await store.get(truncated) }

            let wrongDigest = try await store.put(original)
            try await database.query("UPDATE blobs SET sha256 = $1 WHERE blob_key = $2", String(repeating: "0", count: 64), wrongDigest)
            await #expect(throws: BlobStoreError.corrupted(key: wrongDigest)) { try await store.get(wrongDigest) }

            let untouched = try await store.put(original)
            #expect(try await store.get(untouched) == original)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theTableMigratesBesideAServicesOwn(kind: DatabaseKind) async throws {
        try await withStore(kind) { _, database in
            let applied = try await Migrator(database: database, logger: TestDatabases.logger).applied()
            #expect(applied.contains("blobs/CreateBlobs"))
            #expect(try await Migrator(database: database, logger: TestDatabases.logger).migrate([BlobsMigrations.set]).isEmpty)
        }
    }
}
