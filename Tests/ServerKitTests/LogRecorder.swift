import Logging
import ServerKit
import Synchronization

/// Keeps every log line, with its merged metadata, for assertions. Like `lastmile`'s logging bootstrap, it adds
/// ``RequestMetadata/provider``'s `request_id`.
final class LogRecorder: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let lines = Mutex<[Line]>([])

    var recorded: [Line] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in Handler(recorder: self, metadataProvider: RequestMetadata.provider) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadataProvider?.get() ?? [:]
            merged.merge(metadata) { _, new in new }
            merged.merge(event.metadata ?? [:]) { _, new in new }
            let line = Line(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" })
            recorder.lines.withLock { $0.append(line) }
        }
    }
}
