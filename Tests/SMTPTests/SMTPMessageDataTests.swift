import NIOCore
import Testing

@testable import SMTP

@Suite struct SMTPMessageDataTests {
    private func wire(_ text: String) throws -> String {
        String(buffer: try SMTPMessageData(Array(text.utf8)).wireBytes)
    }

    @Test func linesStartingWithADotGetASecondOne() throws {
        #expect(try wire("a\r\n.b\r\n..c\r\n.\r\nd.\r\n") == "a\r\n..b\r\n...c\r\n..\r\nd.\r\n.\r\n")
        #expect(try wire(".first") == "..first\r\n.\r\n")
    }

    @Test func bareLineBreaksBecomeCRLF() throws {
        #expect(try wire("a\nb\rc\r\nd") == "a\r\nb\r\nc\r\nd\r\n.\r\n")
        #expect(try wire("a\n\n.") == "a\r\n\r\n..\r\n.\r\n")
        #expect(try wire("") == ".\r\n")
    }

    @Test func sizeCountsCRLFLinesBeforeStuffing() throws {
        let data = try SMTPMessageData(Array("a\n.b".utf8))
        #expect(data.size == "a\r\n.b\r\n".utf8.count)
        #expect(!data.has8BitContent)
        #expect(try SMTPMessageData(Array("Привет".utf8)).has8BitContent)
    }

    @Test func aLineOver998OctetsIsRefused() throws {
        #expect(throws: Never.self) { try SMTPMessageData(Array(String(repeating: "x", count: 998).utf8)) }
        let error = #expect(throws: SMTPError.self) { try SMTPMessageData(Array(String(repeating: "x", count: 999).utf8)) }
        #expect(error?.code == .invalidMessage)
    }
}
