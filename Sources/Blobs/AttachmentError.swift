/// Why an attachment is refused; ``reason`` says so in words a customer understands (a 4xx answer's detail).
public enum AttachmentError: Error, Sendable, Equatable {
    /// The file has no bytes.
    case empty
    /// The file has `size` bytes, more than the `maximum` per file.
    case tooLarge(size: Int, maximum: Int)
    /// A message carries `count` files, more than the `maximum` per message.
    case tooMany(count: Int, maximum: Int)
    /// The content is none of the accepted types (``AttachmentType``), whatever its name says.
    case unsupportedType

    /// What was exceeded or refused, with the limit.
    public var reason: String {
        switch self {
        case .empty:
            "the file is empty"
        case .tooLarge(let size, let maximum):
            "the file is \(ByteCount.text(size)), more than the \(ByteCount.text(maximum)) allowed per file"
        case .tooMany(let count, let maximum):
            "\(count) files attached, more than the \(maximum) allowed per message"
        case .unsupportedType:
            "the file is not a JPEG, PNG, GIF, WebP or HEIC image, a PDF or plain text"
        }
    }
}

/// Sizes in the units people read: bytes, KiB or MiB.
enum ByteCount {
    /// `count` bytes as `512 bytes`, `1.5 KiB` or `10 MiB` (one decimal, none when whole).
    static func text(_ count: Int) -> String {
        let units: [(String, Int)] = [("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (unit, size) in units where count >= size {
            let tenths = (count * 10 + size / 2) / size
            return tenths % 10 == 0 ? "\(tenths / 10) \(unit)" : "\(tenths / 10).\(tenths % 10) \(unit)"
        }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }
}
