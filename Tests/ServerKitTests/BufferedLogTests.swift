import Foundation
import Logging
import ServerKit
import Testing

@Suite("Buffered log output")
struct BufferedLogTests {
    @Test func infoWaitsInTheBufferAndAWarningWritesEverythingInOrder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let output = BufferedLogOutput(fileDescriptor: fd, interval: 3600)
        let provider = Logger.MetadataProvider { ["request_id": "req-7"] }
        var logger = Logger(label: "test") { BufferedLogHandler(label: $0, output: output, metadataProvider: provider) }
        logger[metadataKey: "zone"] = "a"
        logger.info("first", metadata: ["b": "2"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
        logger.warning("second")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains(" info test: b=2 request_id=req-7 zone=a [ServerKitTests] first"))
        #expect(lines[1].contains(" warning test: request_id=req-7 zone=a [ServerKitTests] second"))
        logger.info("third")
        output.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("third\n"))
    }
}
