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
        var entries = contextEntries(excluding: { _ in false })
        if let extra = event.metadata {
            for (key, value) in extra {
                if let index = entries.firstIndex(where: { $0.key == key }) {
                    entries[index].text = LogEntry.text(value)
                } else {
                    entries.append(LogEntry(key: key, text: LogEntry.text(value)))
                }
            }
        }
        entries.sort { $0.key < $1.key }
        var line = LogLine(level: event.level, label: label)
        for entry in entries { line.field(entry.key, entry.text) }
        line.finish(source: event.source, message: event.message.description)
        output.write(bytes: line.bytes, urgent: event.level >= .warning)
    }

    /// Writes the access-log line of ``AccessLogMiddleware``: the same text as `log(event:)` would make of the entry
    /// as metadata, without building `Logger.Metadata` and `LogEvent` on every request.
    func log(access entry: AccessLogEntry, level: Logger.Level, message: String, source: String) {
        guard level >= logLevel else { return }
        let hasUser = entry.userID != nil
        var others = contextEntries { key in AccessLogEntry.isKey(key) && (hasUser || key != "user_id") }
        if others.count > 1 { others.sort { $0.key < $1.key } }
        var line = LogLine(level: level, label: label)
        var next = 0
        func othersBefore(_ key: String) {
            while next < others.count, others[next].key < key {
                line.field(others[next].key, others[next].text)
                next += 1
            }
        }
        othersBefore("client_ip")
        line.field("client_ip", entry.clientIP)
        othersBefore("duration_ms")
        line.field("duration_ms", milliseconds: entry.duration)
        othersBefore("http.method")
        line.field("http.method", entry.method)
        othersBefore("http.path")
        line.field("http.path", entry.path)
        othersBefore("http.status")
        line.field("http.status", number: entry.status)
        if let userID = entry.userID {
            othersBefore("user_id")
            line.field("user_id", userID)
        }
        while next < others.count {
            line.field(others[next].key, others[next].text)
            next += 1
        }
        line.finish(source: source, message: message)
        output.write(bytes: line.bytes, urgent: level >= .warning)
    }

    /// This logger's metadata and the provider's (the logger's wins), minus keys the line sets itself; unsorted.
    private func contextEntries(excluding excluded: (String) -> Bool) -> [LogEntry] {
        let provided = metadataProvider?.get() ?? [:]
        var entries: [LogEntry] = []
        entries.reserveCapacity(metadata.count + provided.count + 6)
        for (key, value) in metadata where !excluded(key) { entries.append(LogEntry(key: key, text: LogEntry.text(value))) }
        for (key, value) in provided where !excluded(key) && metadata[key] == nil {
            entries.append(LogEntry(key: key, text: LogEntry.text(value)))
        }
        return entries
    }
}

/// One `key=value` of a line, the value already as text.
struct LogEntry {
    var key: String
    var text: String

    static func text(_ value: Logger.Metadata.Value) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }
}

/// The fields of one access-log line, in the order their keys sort.
struct AccessLogEntry {
    var clientIP: String
    var duration: Duration
    var method: String
    var path: String
    var status: Int
    var userID: String?

    /// Whether the line sets `key`.
    static func isKey(_ key: String) -> Bool {
        switch key {
        case "client_ip", "duration_ms", "http.method", "http.path", "http.status", "user_id": true
        default: false
        }
    }
}

/// One log line as UTF-8 bytes: `<time> <level> <label>: key=value … [source] message`.
struct LogLine {
    private(set) var bytes: [UInt8]

    init(level: Logger.Level, label: String) {
        bytes = []
        bytes.reserveCapacity(320)
        bytes.append(contentsOf: Timestamp.now().utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: level.rawValue.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: label.utf8)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ key: String, _ value: String) {
        start(key)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func field(_ key: String, number: Int) {
        start(key)
        appendDecimal(number)
    }

    /// Milliseconds with three decimals, as `12.345`.
    mutating func field(_ key: String, milliseconds duration: Duration) {
        start(key)
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        appendDecimal(Int(micros / 1000))
        bytes.append(UInt8(ascii: "."))
        let fraction = Int(micros % 1000)
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    mutating func finish(source: String, message: String) {
        bytes.append(contentsOf: " [".utf8)
        bytes.append(contentsOf: source.utf8)
        bytes.append(contentsOf: "] ".utf8)
        bytes.append(contentsOf: message.utf8)
    }

    private mutating func start(_ key: String) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
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
