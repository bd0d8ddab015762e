import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import SMTP

/// The handler on an embedded channel: what it writes for the server's bytes, and how it ends a session that breaks
/// the rules or runs out of time (the embedded loop's clock is moved by hand, so nothing waits).
@Suite struct SMTPChannelHandlerTests {
    private struct Session {
        let channel = EmbeddedChannel()
        let ready: EventLoopPromise<SMTPCapabilities>
        var outcome: Result<SMTPCapabilities, any Error>?

        init(tlsMode: SMTPConfiguration.TLSMode = .startTLS) throws {
            ready = channel.eventLoop.makePromise(of: SMTPCapabilities.self)
            let configuration = try SMTPConfiguration(
                host: "mx.test", tlsMode: tlsMode, credentials: SMTPCredentials(username: "u", password: "hunter2-secret"),
                clientName: "lm.test", commandTimeout: .seconds(30), messageTimeout: .seconds(300))
            try channel.pipeline.syncOperations.addHandler(
                SMTPChannelHandler(configuration: configuration, ready: ready, logger: Logger(label: "test")))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        }

        func serverSays(_ text: String) throws { try channel.writeInbound(ByteBuffer(string: text)) }

        /// Everything the client wrote since the last call, as text.
        func clientWrote() throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        func readyError() -> SMTPError? {
            let error = Mutex<SMTPError?>(nil)
            ready.futureResult.whenFailure { failure in error.withLock { $0 = failure as? SMTPError } }
            return error.withLock { $0 }
        }
    }

    @Test func bytesAfterTheReplyToSTARTTLSEndTheSession() throws {
        let session = try Session()
        try session.serverSays("220 mx.test ESMTP\r\n")
        #expect(try session.clientWrote() == "EHLO lm.test\r\n")
        try session.serverSays("250-mx.test\r\n250 STARTTLS\r\n")
        #expect(try session.clientWrote() == "STARTTLS\r\n")
        // A man in the middle appends a reply in clear, hoping it is read as if it came over TLS.
        try session.serverSays("220 2.0.0 go ahead\r\n250-mx.test\r\n250 AUTH PLAIN\r\n")
        #expect(session.readyError()?.code == .protocolError)
        #expect(!session.channel.isActive)
    }

    @Test func aSilentServerTimesOutTheGreeting() throws {
        let session = try Session()
        session.channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(session.channel.isActive)
        session.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(session.readyError()?.code == .timeout)
        #expect(!session.channel.isActive)
    }

    @Test func aMessageWaitsLongerForItsReplyThanACommandButNotForEver() throws {
        let session = try Session(tlsMode: .none)
        try session.serverSays("220 mx.test ESMTP\r\n")
        try session.serverSays("250-mx.test\r\n250-PIPELINING\r\n250 AUTH LOGIN\r\n")
        #expect(try session.clientWrote() == "EHLO lm.test\r\nAUTH LOGIN\r\n")
        try session.serverSays("334 VXNlcm5hbWU6\r\n")
        try session.serverSays("334 UGFzc3dvcmQ6\r\n")
        try session.serverSays("235 2.7.0 ok\r\n")
        #expect(session.readyError() == nil)
        _ = try session.clientWrote()

        let report = session.channel.eventLoop.makePromise(of: SMTPDeliveryReport.self)
        let failure = Mutex<SMTPError?>(nil)
        report.futureResult.whenFailure { error in failure.withLock { $0 = error as? SMTPError } }
        let message = try SMTPMessageData(Array("Subject: x\r\n\r\nbody\r\n".utf8))
        try session.channel.writeOutbound(
            SMTPRequest(envelope: SMTPEnvelope(sender: "a@lm.test", recipients: ["b@x.test"]), message: message, promise: report))
        #expect(try session.clientWrote() == "MAIL FROM:<a@lm.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n")
        try session.serverSays("250 ok\r\n250 ok\r\n354 go on\r\n")
        #expect(try session.clientWrote() == "Subject: x\r\n\r\nbody\r\n.\r\n")
        session.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(failure.withLock { $0 } == nil && session.channel.isActive)
        session.channel.embeddedEventLoop.advanceTime(by: .seconds(241))
        #expect(failure.withLock { $0 }?.code == .timeout)
        #expect(!session.channel.isActive)
    }

    @Test func thePasswordIsNeverInWhatTheClientDescribes() throws {
        let session = try Session(tlsMode: .none)
        try session.serverSays("220 mx.test ESMTP\r\n250-mx.test\r\n250 AUTH PLAIN\r\n")
        let written = try session.clientWrote()
        #expect(written.hasPrefix("EHLO lm.test\r\nAUTH PLAIN "))
        try session.serverSays("535 5.7.8 bad credentials\r\n")
        let error = try #require(session.readyError())
        #expect(error.code == .authenticationFailed)
        #expect(!"\(error)".contains("hunter2") && !"\(error)".contains(String(written.dropFirst(25))))
    }
}
