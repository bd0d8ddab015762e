import Dispatch
import Foundation
import Kernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``BlobStore`` in a directory: the embedded default, under the data directory's `blobs/`.
///
/// Each blob is one file named by its key, in a subdirectory named by the key's first two characters (4,096 of them,
/// so a million blobs make about 250 files in each). A blob is written to a temporary file in its
/// subdirectory, flushed to disk, and renamed to its key, so a crash leaves the whole file or none under a key (only
/// a temporary file, whose name no key can have). Files are readable by the owner only (0600, directories 0700).
///
/// The file system calls block, so they run on a dispatch queue, off the tasks' cooperative threads.
public struct DirectoryBlobStore: BlobStore {
    /// The store's directory.
    public let directory: String

    /// Opens the store in `directory`, creating it (and missing parents) with mode 0700 when it does not exist.
    public init(directory: String) throws {
        self.directory = directory
        guard !FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileSystem.check(chmod(directory, 0o700), "chmod", directory)
    }

    /// Writes `data` under a fresh key, atomically.
    public func put(_ data: Data) async throws -> String {
        let key = BlobKey.generate()
        try await FileSystem.run { try FileSystem.writeAtomically(data, to: path(of: key), in: shard(of: key), root: directory) }
        return key
    }

    /// The file's bytes; `nil` when there is no file under `key`.
    public func get(_ key: String) async throws -> Data? {
        let path = path(of: try BlobKey.checked(key))
        return try await FileSystem.run { try FileSystem.readFile(path) }
    }

    /// Removes the file under `key`, if any.
    public func delete(_ key: String) async throws {
        let key = try BlobKey.checked(key)
        try await FileSystem.run { try FileSystem.remove(path(of: key), in: shard(of: key)) }
    }

    /// Removes the temporary files that writes interrupted by a crash left more than `age` seconds ago (a write in
    /// progress is younger), and returns how many. Run at start-up.
    @discardableResult
    public func removeAbandonedTemporaryFiles(olderThan age: TimeInterval = 3600) async throws -> Int {
        let directory = directory
        return try await FileSystem.run {
            let files = FileManager.default
            let cutoff = Date().addingTimeInterval(-age)
            var removed = 0
            for shard in try files.contentsOfDirectory(atPath: directory) where shard.utf8.count == 2 {
                let shardPath = directory + "/" + shard
                for name in try files.contentsOfDirectory(atPath: shardPath) where name.hasPrefix(FileSystem.temporaryPrefix) {
                    let path = shardPath + "/" + name
                    guard let modified = try files.attributesOfItem(atPath: path)[.modificationDate] as? Date, modified < cutoff else {
                        continue
                    }
                    try FileSystem.remove(path, in: shardPath)
                    removed += 1
                }
            }
            return removed
        }
    }

    private func shard(of key: String) -> String {
        directory + "/" + key.prefix(2)
    }

    private func path(of key: String) -> String {
        shard(of: key) + "/" + key
    }
}

/// The POSIX calls behind ``DirectoryBlobStore``.
enum FileSystem {
    private static let queue = DispatchQueue(label: "lastmile.blobs.files", attributes: .concurrent)
    /// How a temporary file's name starts: with a dot, which no key contains.
    static let temporaryPrefix = ".tmp-"

    /// Runs blocking file work on the queue and resumes with its result.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }

    /// Writes `data` to a temporary file in `shard`, flushes it, renames it to `path` and flushes the directory.
    static func writeAtomically(_ data: Data, to path: String, in shard: String, root: String) throws {
        try makeDirectory(shard, parent: root)
        let temporary = shard + "/" + temporaryPrefix + SecureRandom.token(bytes: 12)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        try check(descriptor, "open", temporary)
        do {
            defer { close(descriptor) }
            // The umask may have narrowed the mode; nothing may have widened it, but say it exactly.
            try check(fchmod(descriptor, 0o600), "fchmod", temporary)
            try writeAll(data, to: descriptor, path: temporary)
            try check(fsync(descriptor), "fsync", temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        do {
            try check(rename(temporary, path), "rename", path)
        } catch {
            unlink(temporary)
            throw error
        }
        try synchronizeDirectory(shard)
    }

    /// The whole file at `path`, or `nil` when there is none.
    static func readFile(_ path: String) throws -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 && errno == ENOENT { return nil }
        try check(descriptor, "open", path)
        defer { close(descriptor) }
        var status = stat()
        try check(fstat(descriptor, &status), "fstat", path)
        guard status.st_mode & S_IFMT == S_IFREG else { throw BlobStoreError.fileSystem(call: "fstat", path: path, errno: EISDIR) }
        var data = Data()
        data.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            try check(Int32(clamping: count), "read", path)
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Removes the file at `path`; a missing file is not an error.
    static func remove(_ path: String, in shard: String) throws {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            try check(-1, "unlink", path)
        }
        try synchronizeDirectory(shard)
    }

    /// Throws the current `errno` as ``BlobStoreError/fileSystem(call:path:errno:)`` when `result` is negative.
    static func check(_ result: Int32, _ call: String, _ path: String) throws {
        guard result < 0 else { return }
        throw BlobStoreError.fileSystem(call: call, path: path, errno: errno)
    }

    private static func makeDirectory(_ path: String, parent: String) throws {
        guard mkdir(path, 0o700) == 0 else {
            if errno == EEXIST { return }
            return try check(-1, "mkdir", path)
        }
        try check(chmod(path, 0o700), "chmod", path)
        try synchronizeDirectory(parent)
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                try check(Int32(clamping: written), "write", path)
                offset += written
            }
        }
    }

    /// Flushes a directory's entries, so a rename or removal in it survives a crash.
    private static func synchronizeDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try check(descriptor, "open", path)
        defer { close(descriptor) }
        try check(fsync(descriptor), "fsync", path)
    }
}
