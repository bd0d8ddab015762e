import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A `LogHandler` writing `StreamLogHandler`'s line format to a ``BufferedLogOutput``.
public struct BufferedLogHandler: LogHandler {
    /// The minimum level logged.
    public var logLevel: Logger.Level = .info
    /// Metadata on every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata from the task (the request id).
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: BufferedLogOutput

    /// Creates a handler for `label`.
    public init(label: String, output: BufferedLogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and queues one line.
    public func log(event: LogEvent) {
        // Runs for every access-log line: a sorted array instead of merged dictionaries, one reserved string.
        var entries: [(key: String, value: Logger.Metadata.Value)] = []
        entries.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + 2)
        for (key, value) in metadata { entries.append((key, value)) }
        if let provided = metadataProvider?.get() {
            for (key, value) in provided where metadata[key] == nil { entries.append((key, value)) }
        }
        if let extra = event.metadata {
            for (key, value) in extra {
                if let index = entries.firstIndex(where: { $0.key == key }) {
                    entries[index].value = value
                } else {
                    entries.append((key, value))
                }
            }
        }
        entries.sort { $0.key < $1.key }
        var line = Timestamp.now()
        line.reserveCapacity(256)
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        for entry in entries {
            line += " "
            line += entry.key
            line += "="
            if case .string(let text) = entry.value { line += text } else { line += entry.value.description }
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        output.write(line, urgent: event.level >= .warning)
    }
}

/// The current second as `2026-11-27T08:09:55+0000`, formatted once per second.
enum Timestamp {
    private static let cache = Mutex<(second: Int, text: String)>((-1, ""))

    static func now() -> String {
        var now = time(nil)
        if let cached = cache.withLock({ $0.second == now ? $0.text : nil }) { return cached }
        var parts = tm()
        gmtime_r(&now, &parts)
        var bytes = [Int8](repeating: 0, count: 32)
        let count = strftime(&bytes, bytes.count, "%Y-%m-%dT%H:%M:%S+0000", &parts)
        let text = String(decoding: bytes[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        cache.withLock { $0 = (now, text) }
        return text
    }
}
