import Testing

@testable import SMTP

@Suite struct SMTPCapabilitiesTests {
    @Test func extensionsAreReadFromTheEHLOReply() {
        let reply = SMTPReply(
            code: 250, lines: ["mail.example.ru greets you", "PIPELINING", "SIZE 35882577", "8BITMIME", "auth login Plain", "STARTTLS", "SMTPUTF8"])
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.pipelining && capabilities.eightBitMIME && capabilities.startTLS && capabilities.smtpUTF8)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN"])
        #expect(capabilities.maximumSize == 35_882_577)
        #expect(!capabilities.enhancedStatusCodes)
        // The greeting line is not an extension even when it looks like one.
        #expect(!SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["STARTTLS"])).startTLS)
    }

    @Test func sizeWithoutALimitAndTheOldAuthSpelling() {
        let capabilities = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["host", "SIZE", "AUTH=LOGIN"]))
        #expect(capabilities.maximumSize == 0)
        #expect(capabilities.authMechanisms == ["LOGIN"])
        #expect(SMTPCapabilities().maximumSize == nil)
    }
}
