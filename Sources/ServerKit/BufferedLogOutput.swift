import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A log destination that collects lines in memory and writes them in batches from a background thread.
///
/// A busy gateway writes an access-log line per request; one `write(2)` each (as `StreamLogHandler` does on
/// stderr) cost about half of the throughput in `scripts/bench auth`. Lines at `warning` and above are written at
/// once, together with everything before them, so nothing important waits in the buffer; the rest waits at most
/// `interval`. Call ``flush()`` before the process exits.
public final class BufferedLogOutput: Sendable {
    /// Standard error, flushed every 50 ms.
    public static let standardError = BufferedLogOutput(fileDescriptor: 2)

    private let fileDescriptor: Int32
    private let buffer = Mutex<[UInt8]>([])
    /// Held while writing; holds the other buffer, which the two swap on every flush so neither is reallocated.
    private let writing = Mutex<[UInt8]>([])
    private let limit: Int

    /// Writes to `fileDescriptor`, in batches of up to `limit` bytes, at least every `interval`.
    public init(fileDescriptor: Int32, limit: Int = 64 * 1024, interval: TimeInterval = 0.05) {
        self.fileDescriptor = fileDescriptor
        self.limit = limit
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                flush()
            }
        }
    }

    /// Adds one line; `urgent` lines are written before this returns.
    public func write(_ line: String, urgent: Bool) {
        let full = buffer.withLock { buffer -> Bool in
            buffer.append(contentsOf: line.utf8)
            buffer.append(UInt8(ascii: "\n"))
            return buffer.count >= limit
        }
        if urgent || full { flush() }
    }

    /// Adds one line given as UTF-8 bytes without its newline; `urgent` lines are written before this returns.
    func write(bytes line: [UInt8], urgent: Bool) {
        let full = buffer.withLock { buffer -> Bool in
            buffer.append(contentsOf: line)
            buffer.append(UInt8(ascii: "\n"))
            return buffer.count >= limit
        }
        if urgent || full { flush() }
    }

    /// Writes out whatever is buffered.
    public func flush() {
        writing.withLock { pending in
            buffer.withLock { swap(&$0, &pending) }
            defer { pending.removeAll(keepingCapacity: true) }
            var offset = 0
            pending.withUnsafeBytes { bytes in
                while offset < bytes.count {
                    let written = Glibc.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 {
                        if written < 0, errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}
