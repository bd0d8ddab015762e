import NIOCore
import Testing

@testable import SMTP

@Suite struct SMTPReplyDecoderTests {
    private func decodeAll(_ chunks: [String]) throws -> [SMTPReply] {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let reply = try decoder.decode(&buffer) { replies.append(reply) }
        }
        return replies
    }

    @Test func aMultiLineReplyIsOneReply() throws {
        let replies = try decodeAll(["250-mail.example.ru Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 AUTH PLAIN LOGIN\r\n"])
        #expect(replies.count == 1)
        #expect(replies[0].code == 250)
        #expect(replies[0].lines == ["mail.example.ru Hello", "PIPELINING", "SIZE 1000", "AUTH PLAIN LOGIN"])
        #expect(replies[0].category == .positiveCompletion)
    }

    @Test func aReplyCutAcrossReadsWaitsForItsEnd() throws {
        let replies = try decodeAll(["250-first\r\n25", "0-sec", "ond\r\n250 last\r", "\n221 bye\n"])
        #expect(replies.map(\.code) == [250, 221])
        #expect(replies[0].lines == ["first", "second", "last"])
        #expect(replies[1].lines == ["bye"])
    }

    @Test func enhancedStatusCodesAreTakenOffTheText() throws {
        let replies = try decodeAll(["550-5.1.1 no such user\r\n550 5.1.1 really\r\n", "250 ok\r\n", "451 4.2.0\r\n"])
        #expect(replies[0].enhancedStatus == SMTPEnhancedStatus(statusClass: 5, subject: 1, detail: 1))
        #expect(replies[0].lines == ["no such user", "really"])
        #expect(replies[0].category == .permanentFailure)
        #expect(replies[1].enhancedStatus == nil)
        #expect(replies[2].enhancedStatus?.description == "4.2.0")
        #expect(replies[2].category == .transientFailure)
    }

    @Test func aChallengeIsNotAnEnhancedStatus() throws {
        let replies = try decodeAll(["334 VXNlcm5hbWU6\r\n", "250 2.5.0\r\n"])
        #expect(replies[0].enhancedStatus == nil && replies[0].text == "VXNlcm5hbWU6")
        #expect(replies[0].category == .positiveIntermediate)
        // A status of another class than the code is text, not a status.
        #expect(try decodeAll(["250 5.1.1 odd\r\n"])[0].enhancedStatus == nil)
    }

    @Test func aCodeAloneIsAReply() throws {
        #expect(try decodeAll(["250\r\n"]).first?.lines == [""])
    }

    @Test func brokenRepliesAreProtocolErrors() {
        for input in ["hello\r\n", "250-a\r\n251 b\r\n", "250xtext\r\n", "600 nope\r\n", "25\r\n"] {
            #expect(throws: SMTPError.self, "\(input.debugDescription)") { try decodeAll([input]) }
        }
        let long = "250 " + String(repeating: "x", count: 5000)
        #expect(throws: SMTPError.self) { try decodeAll([long]) }
        let tooMany = String(repeating: "250-x\r\n", count: 300)
        #expect(throws: SMTPError.self) { try decodeAll([tooMany]) }
    }
}
