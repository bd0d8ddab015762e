import Foundation

/// How many attachments a message may carry and how large each may be; ``accept(_:)`` checks one file whole.
public struct AttachmentLimits: Sendable, Equatable {
    /// The largest file accepted, in bytes (10 MiB by default).
    public var maximumFileSize: Int
    /// The most files one message carries (5 by default).
    public var maximumCount: Int

    /// Limits with the production defaults unless given.
    public init(maximumFileSize: Int = 10 << 20, maximumCount: Int = 5) {
        self.maximumFileSize = maximumFileSize
        self.maximumCount = maximumCount
    }

    /// Throws ``AttachmentError/tooMany(count:maximum:)`` when a message carries more than ``maximumCount`` files.
    public func check(count: Int) throws(AttachmentError) {
        guard count <= maximumCount else { throw .tooMany(count: count, maximum: maximumCount) }
    }

    /// Throws ``AttachmentError/empty`` for no bytes and ``AttachmentError/tooLarge(size:maximum:)`` above
    /// ``maximumFileSize``; a route checks this on the declared length before reading a body, too.
    public func check(size: Int) throws(AttachmentError) {
        guard size > 0 else { throw .empty }
        guard size <= maximumFileSize else { throw .tooLarge(size: size, maximum: maximumFileSize) }
    }

    /// Checks one file's size, then tells its type from its content (``ContentSniffer``); throws
    /// ``AttachmentError/unsupportedType`` for anything not accepted.
    public func accept(_ data: Data) throws(AttachmentError) -> AttachmentType {
        try check(size: data.count)
        guard let type = ContentSniffer.type(of: data) else { throw .unsupportedType }
        return type
    }
}
