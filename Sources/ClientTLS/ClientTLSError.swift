/// A TLS setting that cannot be used; the message names the file or the setting and says what is wrong.
public struct ClientTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in words.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
