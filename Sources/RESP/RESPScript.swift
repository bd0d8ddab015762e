import Crypto

/// A Lua script, named by its SHA-1 as Redis names it, so it can run with `EVALSHA` and be loaded only when the server lacks it.
public struct RESPScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lower-case hex SHA-1 of the source, as `SCRIPT LOAD` returns it.
    public let sha1: String

    /// Creates a script from its Lua source.
    public init(_ source: String) {
        self.source = source
        // SHA-1 only because Redis names scripts by it; nothing here relies on it being collision-resistant.
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
