import Blobs
import Foundation
import Testing

/// What every ``BlobStore`` must do, run against each store by its own suite.
enum BlobStoreContract {
    /// Keys a store never hands out: each must be refused before it reaches a path or a query.
    static let forgedKeys = [
        "", "..", "../../../../etc/passwd", "ab/../../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd",
        String(repeating: "A", count: 40) + "/..", String(repeating: ".", count: 43), String(repeating: "A", count: 42),
        String(repeating: "A", count: 44), String(repeating: "A", count: 42) + "\0", String(repeating: "Я", count: 43),
        String(repeating: "A", count: 41) + "\\x",
    ]

    static func roundTrips(_ store: any BlobStore) async throws {
        var generator = SystemRandomNumberGenerator()
        let photo = Data((0..<(1 << 20) + 17).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let text = Data("Роутер мигает красным".utf8)
        let empty = Data()
        var keys: [String] = []
        for data in [photo, text, empty] {
            let key = try await store.put(data)
            #expect(BlobKey.isValid(key))
            #expect(try await store.get(key) == data)
            keys.append(key)
        }
        #expect(Set(keys).count == keys.count)
        #expect(try await store.get(keys[0]) == photo)
    }

    static func missingKeysReadAsNothing(_ store: any BlobStore) async throws {
        #expect(try await store.get(BlobKey.generate()) == nil)
        try await store.delete(BlobKey.generate())
    }

    static func deletes(_ store: any BlobStore) async throws {
        let kept = try await store.put(Data("kept".utf8))
        let deleted = try await store.put(Data("deleted".utf8))
        try await store.delete(deleted)
        #expect(try await store.get(deleted) == nil)
        try await store.delete(deleted)
        #expect(try await store.get(kept) == Data("kept".utf8))
    }

    static func refusesForgedKeys(_ store: any BlobStore) async throws {
        for key in forgedKeys {
            #expect(!BlobKey.isValid(key), "\(key)")
            await #expect(throws: BlobStoreError.invalidKey, "\(key)") { try await store.get(key) }
            await #expect(throws: BlobStoreError.invalidKey, "\(key)") { try await store.delete(key) }
        }
    }
}
