/// Failures of a ``BlobStore`` that callers act on.
public enum BlobStoreError: Error, Sendable, Equatable {
    /// The key is not of the shape the stores hand out (see ``BlobKey``): a forged or mangled key, never looked up.
    case invalidKey
    /// What is stored under `key` is not what was written (its size or digest differs): the bytes are not returned.
    case corrupted(key: String)
    /// A file system call of ``DirectoryBlobStore`` failed: `call` on `path` set `errno`.
    case fileSystem(call: String, path: String, errno: Int32)
}
