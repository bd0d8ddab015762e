import Foundation

/// Where uploaded files (a ticket's attachments) live: bytes under a key the store chooses, read back whole.
///
/// A store never interprets what it keeps: checking the content's type and size is the caller's (see
/// ``ContentSniffer`` and ``AttachmentLimits``), and serving it safely is the route's (see ``AttachmentHeaders``).
/// Keys are opaque, URL-safe and unguessable (``BlobKey``); a key of another shape is refused with
/// ``BlobStoreError/invalidKey``, never looked up.
public protocol BlobStore: Sendable {
    /// Stores `data` and returns the key to read it with.
    func put(_ data: Data) async throws -> String
    /// The bytes stored under `key`, or `nil` when there are none (never stored, or deleted).
    func get(_ key: String) async throws -> Data?
    /// Deletes what is stored under `key`; deleting a missing key is not an error.
    func delete(_ key: String) async throws
}
