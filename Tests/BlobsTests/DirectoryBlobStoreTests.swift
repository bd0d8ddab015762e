import Blobs
import Foundation
import Testing

@Suite("DirectoryBlobStore")
struct DirectoryBlobStoreTests {
    /// Runs `body` with a store in a fresh directory (inside a parent that does not exist yet), removed afterwards.
    func withStore(_ body: (DirectoryBlobStore, URL) async throws -> Void) async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("data/blobs")
        try await body(try DirectoryBlobStore(directory: directory.path), directory)
    }

    @Test func roundTrips() async throws {
        try await withStore { store, _ in try await BlobStoreContract.roundTrips(store) }
    }

    @Test func missingKeysReadAsNothing() async throws {
        try await withStore { store, _ in try await BlobStoreContract.missingKeysReadAsNothing(store) }
    }

    @Test func deletes() async throws {
        try await withStore { store, _ in try await BlobStoreContract.deletes(store) }
    }

    @Test func refusesForgedKeys() async throws {
        try await withStore { store, _ in try await BlobStoreContract.refusesForgedKeys(store) }
    }

    @Test func aKeyCannotReachAFileOutsideTheStore() async throws {
        try await withStore { store, directory in
            let secret = directory.deletingLastPathComponent().appendingPathComponent("secret")
            try Data("secret".utf8).write(to: secret)
            for key in ["../secret", "../../data/secret", secret.path] {
                await #expect(throws: BlobStoreError.invalidKey) { try await store.get(key) }
                await #expect(throws: BlobStoreError.invalidKey) { try await store.delete(key) }
            }
            #expect(FileManager.default.fileExists(atPath: secret.path))
        }
    }

    @Test func eachBlobIsOneFileNamedByItsKeyInAShard() async throws {
        try await withStore { store, directory in
            var keys: Set<String> = []
            for index in 0..<20 { keys.insert(try await store.put(Data("blob \(index)".utf8))) }
            // Only the files under keys: no temporary file is left behind.
            var files: Set<String> = []
            for shard in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                for file in try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(shard).path) {
                    #expect(file.hasPrefix(shard))
                    files.insert(file)
                }
            }
            #expect(files == keys)
        }
    }

    @Test func filesAndDirectoriesAreTheOwnersOnly() async throws {
        try await withStore { store, directory in
            let key = try await store.put(Data("private".utf8))
            let shard = directory.appendingPathComponent(String(key.prefix(2)))
            #expect(try Self.permissions(directory) == 0o700)
            #expect(try Self.permissions(shard) == 0o700)
            #expect(try Self.permissions(shard.appendingPathComponent(key)) == 0o600)
        }
    }

    @Test func reopeningTheDirectoryFindsWhatWasStored() async throws {
        try await withStore { store, directory in
            let key = try await store.put(Data("kept".utf8))
            let reopened = try DirectoryBlobStore(directory: directory.path)
            #expect(try await reopened.get(key) == Data("kept".utf8))
        }
    }

    @Test func removesTemporaryFilesACrashLeftButNotYoungOnesNorBlobs() async throws {
        try await withStore { store, directory in
            let key = try await store.put(Data("kept".utf8))
            let shard = directory.appendingPathComponent(String(key.prefix(2)))
            let abandoned = shard.appendingPathComponent(".tmp-abandoned")
            let inProgress = shard.appendingPathComponent(".tmp-in-progress")
            try Data("half a fi".utf8).write(to: abandoned)
            try Data("being wri".utf8).write(to: inProgress)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: abandoned.path)
            #expect(try await store.removeAbandonedTemporaryFiles(olderThan: 3600) == 1)
            #expect(!FileManager.default.fileExists(atPath: abandoned.path))
            #expect(FileManager.default.fileExists(atPath: inProgress.path))
            #expect(try await store.get(key) == Data("kept".utf8))
        }
    }

    static func permissions(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
    }
}
