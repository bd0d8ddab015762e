import Foundation
import NIOCore
import Testing

@testable import SMTP

@Suite struct SMTPSessionStateMachineTests {
    typealias Machine = SMTPSessionStateMachine<String>

    private static let credentials = SMTPCredentials(username: "mailer", password: "s3cret-pass")

    private func machine(tlsMode: SMTPConfiguration.TLSMode = .startTLS, credentials: SMTPCredentials? = credentials) -> Machine {
        Machine(settings: .init(clientName: "lm.example", tlsMode: tlsMode, credentials: credentials))
    }

    private func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, lines: lines.isEmpty ? [""] : lines) }

    private func ehlo(_ extensions: String...) -> SMTPReply { SMTPReply(code: 250, lines: ["mx.example greets lm.example"] + extensions) }

    /// The actions as short words, for comparison.
    private func describe(_ actions: [Machine.Action]) -> [String] {
        actions.map { action in
            switch action {
            case .send(let commands): "send " + commands.map(\.description).joined(separator: " | ")
            case .sendMessage(let bytes): "message \(bytes.readableBytes)"
            case .startTLS: "startTLS"
            case .ready: "ready"
            case .complete(let context, .success(let report)): "\(context) report \(report.finalReply.code)"
            case .complete(let context, .failure(let error)): "\(context) failed \(error.code)"
            case .close(let error?): "close \(error.code)"
            case .close(nil): "close"
            }
        }
    }

    private func reportIn(_ actions: [Machine.Action]) -> SMTPDeliveryReport? {
        for case .complete(_, .success(let report)) in actions { return report }
        return nil
    }

    private func failure(_ actions: [Machine.Action]) -> SMTPError? {
        for action in actions {
            if case .complete(_, .failure(let error)) = action { return error }
            if case .close(let error?) = action { return error }
        }
        return nil
    }

    private func message(_ text: String = "Subject: hi\r\n\r\nbody\r\n") throws -> SMTPMessageData { try SMTPMessageData(Array(text.utf8)) }

    /// A machine through greeting, STARTTLS and AUTH PLAIN, ready, with the extensions of the second EHLO.
    private func readyMachine(_ extensions: [String]) -> Machine {
        var machine = machine()
        _ = machine.receive(reply(220, "mx.example ESMTP"))
        _ = machine.receive(ehlo("STARTTLS"))
        _ = machine.receive(reply(220, "go ahead"))
        _ = machine.tlsEstablished()
        _ = machine.receive(SMTPReply(code: 250, lines: ["mx.example"] + extensions + ["AUTH PLAIN"]))
        _ = machine.receive(reply(235, "2.7.0 ok"))
        return machine
    }

    @Test func aSessionGreetsUpgradesToTLSGreetsAgainAndAuthenticates() throws {
        var machine = machine()
        #expect(machine.waitingFor == .reply)
        #expect(describe(machine.receive(reply(220, "mx.example ESMTP"))) == ["send EHLO lm.example"])
        #expect(describe(machine.receive(ehlo("PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN"))) == ["send STARTTLS"])
        #expect(describe(machine.receive(reply(220, "2.0.0 ready"))) == ["startTLS"])
        #expect(!machine.isSecured)
        #expect(describe(machine.tlsEstablished()) == ["send EHLO lm.example"])
        #expect(machine.isSecured)
        let auth = machine.receive(ehlo("PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME"))
        #expect(describe(auth) == ["send AUTH PLAIN <redacted>"])
        guard case .send(let commands) = auth.first, case .auth("PLAIN", let response?) = commands.first else {
            Issue.record("no AUTH PLAIN")
            return
        }
        #expect(Data(base64Encoded: response) == Data("\u{0}mailer\u{0}s3cret-pass".utf8))
        #expect(describe(machine.receive(reply(235, "2.7.0 Authentication successful"))) == ["ready"])
        #expect(machine.capabilities.pipelining && machine.capabilities.eightBitMIME)
        #expect(machine.waitingFor == nil)
    }

    @Test func withoutSTARTTLSNothingIsSentInClear() throws {
        var machine = machine()
        _ = machine.receive(reply(220))
        #expect(describe(machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@y.ru"]), message: try message())) == [])
        let actions = machine.receive(ehlo("AUTH PLAIN LOGIN", "PIPELINING"))
        #expect(describe(actions) == ["m1 failed tlsRequired", "close tlsRequired"])
        #expect(!describe(actions).contains { $0.hasPrefix("send") })
    }

    @Test func aRefusedSTARTTLSEndsTheSessionUnlessTLSIsOptional() {
        var required = machine()
        _ = required.receive(reply(220))
        _ = required.receive(ehlo("STARTTLS"))
        #expect(describe(required.receive(reply(454, "4.7.0 TLS not available"))) == ["close tlsRequired"])

        var optional = machine(tlsMode: .startTLSIfOffered)
        _ = optional.receive(reply(220))
        _ = optional.receive(ehlo("STARTTLS", "AUTH LOGIN"))
        #expect(describe(optional.receive(reply(454, "4.7.0 TLS not available"))) == ["send AUTH LOGIN"])

        var opportunistic = machine(tlsMode: .startTLSIfOffered, credentials: nil)
        _ = opportunistic.receive(reply(220))
        #expect(describe(opportunistic.receive(ehlo("PIPELINING"))) == ["ready"])
    }

    @Test func anOldServerIsGreetedWithHELO() {
        var machine = machine(tlsMode: .none, credentials: nil)
        _ = machine.receive(reply(220))
        #expect(describe(machine.receive(reply(502, "5.5.1 command not recognized"))) == ["send HELO lm.example"])
        #expect(describe(machine.receive(reply(250, "hello"))) == ["ready"])
        #expect(machine.capabilities == SMTPCapabilities())
    }

    @Test func authLoginAnswersTwoChallenges() throws {
        var machine = machine(tlsMode: .implicit)
        _ = machine.receive(reply(220))
        #expect(describe(machine.receive(ehlo("AUTH LOGIN"))) == ["send AUTH LOGIN"])
        let username = machine.receive(reply(334, "VXNlcm5hbWU6"))
        #expect(describe(username) == ["send <redacted>"])
        guard case .send(let userCommands) = username.first, case .authResponse(let encodedUser) = userCommands.first else { return }
        #expect(Data(base64Encoded: encodedUser) == Data("mailer".utf8))
        let password = machine.receive(reply(334, "UGFzc3dvcmQ6"))
        guard case .send(let passwordCommands) = password.first, case .authResponse(let encodedPassword) = passwordCommands.first else {
            Issue.record("no password sent")
            return
        }
        #expect(Data(base64Encoded: encodedPassword) == Data("s3cret-pass".utf8))
        #expect(describe(machine.receive(reply(235))) == ["ready"])
    }

    @Test func refusedCredentialsEndTheSessionWithoutShowingThePassword() {
        var machine = machine(tlsMode: .implicit)
        _ = machine.receive(reply(220))
        _ = machine.receive(ehlo("AUTH PLAIN"))
        let actions = machine.receive(reply(535, "5.7.8 Authentication credentials invalid"))
        #expect(describe(actions) == ["close authenticationFailed"])
        let error = failure(actions)
        #expect(error?.reply?.code == 535)
        #expect(error.map { !"\($0)".contains("s3cret") } == true)
        #expect(!"\(Self.credentials)".contains("s3cret") && !String(reflecting: Self.credentials).contains("s3cret"))
    }

    @Test func noMechanismInCommonIsAnAuthenticationFailure() {
        var machine = machine(tlsMode: .implicit)
        _ = machine.receive(reply(220))
        #expect(describe(machine.receive(ehlo("AUTH CRAM-MD5 XOAUTH2"))) == ["close authenticationFailed"])
    }

    @Test func aPipelinedTransactionReportsEachRecipient() throws {
        var machine = readyMachine(["PIPELINING", "SIZE 100000", "8BITMIME", "SMTPUTF8"])
        let envelope = SMTPEnvelope(sender: "bills@lm.ru", recipients: ["ivan@a.ru", "nobody@a.ru", "busy@a.ru"])
        let data = try message("Subject: счёт\r\n\r\nтело\r\n")
        #expect(
            describe(machine.send("m1", envelope: envelope, message: data)) == [
                "send MAIL FROM:<bills@lm.ru> SIZE=\(data.size) BODY=8BITMIME | RCPT TO:<ivan@a.ru> | RCPT TO:<nobody@a.ru> | RCPT TO:<busy@a.ru> | DATA"
            ])
        #expect(describe(machine.receive(reply(250, "2.1.0 ok"))) == [])
        #expect(describe(machine.receive(reply(250, "2.1.5 ok"))) == [])
        #expect(describe(machine.receive(reply(550, "5.1.1 no such user"))) == [])
        #expect(describe(machine.receive(reply(451, "4.2.0 try later"))) == [])
        #expect(describe(machine.receive(reply(354, "go on"))) == ["message \(data.wireBytes.readableBytes)"])
        #expect(machine.waitingFor == .messageReply)
        let done = machine.receive(reply(250, "2.0.0 queued"))
        #expect(describe(done) == ["m1 report 250"])
        let report = try #require(reportIn(done))
        #expect(report.accepted == ["ivan@a.ru"])
        #expect(report.permanentFailures == ["nobody@a.ru"])
        #expect(report.transientFailures == ["busy@a.ru"])
        #expect(report.recipients[1].reply.code == 550 && !report.isFullyAccepted)
        #expect(machine.waitingFor == nil)
    }

    @Test func theNextMessagesCommandsGoRightBehindTheCurrentMessage() throws {
        var machine = readyMachine(["PIPELINING"])
        let first = SMTPEnvelope(sender: "bills@lm.ru", recipients: ["ivan@a.ru"])
        let second = SMTPEnvelope(sender: "bills@lm.ru", recipients: ["olga@a.ru"])
        let data = try message()
        #expect(describe(machine.send("m1", envelope: first, message: data)) == ["send MAIL FROM:<bills@lm.ru> | RCPT TO:<ivan@a.ru> | DATA"])
        #expect(describe(machine.send("m2", envelope: second, message: data)) == [], "queued behind m1")
        _ = machine.receive(reply(250, "ok"))
        _ = machine.receive(reply(250, "ok"))
        #expect(
            describe(machine.receive(reply(354, "go on"))) == [
                "message \(data.wireBytes.readableBytes)", "send MAIL FROM:<bills@lm.ru> | RCPT TO:<olga@a.ru> | DATA",
            ], "m2's commands open a group behind m1's content (RFC 2920 §3.1)")
        #expect(describe(machine.receive(reply(250, "2.0.0 queued m1"))) == ["m1 report 250"])
        #expect(machine.waitingFor == .reply, "m2's replies are due")
        _ = machine.receive(reply(250, "ok"))
        _ = machine.receive(reply(250, "ok"))
        #expect(describe(machine.receive(reply(354, "go on"))) == ["message \(data.wireBytes.readableBytes)"])
        #expect(describe(machine.receive(reply(250, "2.0.0 queued m2"))) == ["m2 report 250"])
        #expect(machine.waitingFor == nil)
    }

    @Test func aConnectionLostWithTheNextMessageStartedFailsBoth() throws {
        var machine = readyMachine(["PIPELINING"])
        let envelope = SMTPEnvelope(sender: "bills@lm.ru", recipients: ["ivan@a.ru"])
        _ = machine.send("m1", envelope: envelope, message: try message())
        _ = machine.send("m2", envelope: envelope, message: try message())
        _ = machine.receive(reply(250, "ok"))
        _ = machine.receive(reply(250, "ok"))
        _ = machine.receive(reply(354, "go on"))
        let lost = machine.closed(error: SMTPError(code: .connectionLost, message: "gone"))
        #expect(describe(lost) == ["m1 failed connectionLost", "m2 failed connectionLost"])
        let m1 = lost.compactMap { action -> SMTPError? in if case .complete("m1", .failure(let error)) = action { error } else { nil } }.first
        #expect(m1?.deliveryUnknown == true, "m1's content had gone out")
    }

    @Test func withoutPipeliningEachCommandWaitsForItsReply() throws {
        var machine = readyMachine([])
        let envelope = SMTPEnvelope(sender: "", recipients: ["a@x.ru", "b@x.ru"])
        #expect(describe(machine.send("m1", envelope: envelope, message: try message())) == ["send MAIL FROM:<>"])
        #expect(describe(machine.receive(reply(250))) == ["send RCPT TO:<a@x.ru>"])
        #expect(describe(machine.receive(reply(250))) == ["send RCPT TO:<b@x.ru>"])
        #expect(describe(machine.receive(reply(250))) == ["send DATA"])
        #expect(describe(machine.receive(reply(354))).first?.hasPrefix("message") == true)
        let report = try #require(reportIn(machine.receive(reply(250))))
        #expect(report.isFullyAccepted && report.accepted == ["a@x.ru", "b@x.ru"])
    }

    @Test func aRefusedSenderFailsEveryRecipientAndResets() throws {
        var machine = readyMachine([])
        _ = machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru", "c@x.ru"]), message: try message())
        #expect(describe(machine.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["d@x.ru"]), message: try message())) == [])
        let refused = machine.receive(reply(553, "5.7.1 sender not allowed"))
        #expect(describe(refused) == ["m1 report 553", "send RSET"])
        #expect(reportIn(refused)?.permanentFailures == ["b@x.ru", "c@x.ru"])
        // The next message starts once the reset is answered.
        #expect(describe(machine.receive(reply(250))) == ["send MAIL FROM:<a@x.ru>"])
    }

    @Test func everyRecipientRefusedEndsTheTransaction() throws {
        var plain = readyMachine([])
        _ = plain.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = plain.receive(reply(250))
        let refused = plain.receive(reply(450, "4.2.1 mailbox unavailable"))
        #expect(describe(refused) == ["m1 report 450", "send RSET"])
        #expect(reportIn(refused)?.transientFailures == ["b@x.ru"])

        // Pipelined, the server may still answer DATA with 354: the message is ended at once, empty.
        var pipelined = readyMachine(["PIPELINING"])
        _ = pipelined.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = pipelined.receive(reply(250))
        _ = pipelined.receive(reply(550))
        #expect(describe(pipelined.receive(reply(354))) == ["message 3"])
        let ended = pipelined.receive(reply(250))
        #expect(describe(ended) == ["m1 report 550", "send RSET"])
        #expect(reportIn(ended)?.permanentFailures == ["b@x.ru"])
    }

    @Test func aMessageRefusedAfterDataFailsTheAcceptedRecipients() throws {
        var machine = readyMachine(["PIPELINING"])
        _ = machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru", "c@x.ru"]), message: try message())
        for code in [250, 250, 550, 354] { _ = machine.receive(reply(code)) }
        let report = try #require(reportIn(machine.receive(reply(554, "5.7.1 spam"))))
        #expect(report.recipients.map(\.reply.code) == [554, 550])
        #expect(report.permanentFailures == ["b@x.ru", "c@x.ru"])
    }

    @Test func messagesGivenDuringSetupWaitUntilTheSessionIsReady() throws {
        var machine = machine(tlsMode: .implicit, credentials: nil)
        #expect(describe(machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())) == [])
        _ = machine.receive(reply(220))
        #expect(describe(machine.receive(ehlo())) == ["ready", "send MAIL FROM:<a@x.ru>"])
    }

    @Test func whatTheServerCannotTakeFailsBeforeAnythingIsSent() throws {
        var machine = readyMachine(["SIZE 10"])
        let big = machine.send("big", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        #expect(describe(big) == ["big failed unsupported"])
        let utf8 = machine.send("utf8", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["иван@пример.рф"]), message: try message("a"))
        #expect(describe(utf8) == ["utf8 failed unsupported"])
        let eightBit = machine.send("8bit", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message("й"))
        #expect(describe(eightBit) == ["8bit failed unsupported"])
        let injected = machine.send(
            "bad", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru>\r\nRCPT TO:<c@x.ru"]), message: try message("a"))
        #expect(describe(injected) == ["bad failed invalidMessage"])
        #expect(
            describe(machine.send("none", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: []), message: try message("a"))) == [
                "none failed invalidMessage"
            ])
    }

    @Test func utf8AddressesAreDeclaredWhenTheServerOffersSMTPUTF8() throws {
        var machine = readyMachine(["SMTPUTF8", "8BITMIME"])
        let actions = machine.send("m", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["иван@пример.рф"]), message: try message("a"))
        #expect(describe(actions) == ["send MAIL FROM:<a@x.ru> SMTPUTF8"])
    }

    @Test func aServerClosingWith421FailsTheMessageAsTransient() throws {
        var machine = readyMachine([])
        _ = machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        let actions = machine.receive(reply(421, "4.3.2 shutting down"))
        #expect(describe(actions) == ["m1 failed connectionLost", "close connectionLost"])
        #expect(failure(actions)?.isTransient == true)
        #expect(
            describe(machine.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())) == [
                "m2 failed connectionLost"
            ])
    }

    @Test func quitWaitsForTheTransactionInProgress() throws {
        var machine = readyMachine([])
        _ = machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        #expect(describe(machine.quit()) == [])
        #expect(
            describe(machine.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())) == [
                "m2 failed connectionClosed"
            ])
        for code in [250, 250, 354] { _ = machine.receive(reply(code)) }
        #expect(describe(machine.receive(reply(250))) == ["m1 report 250", "send QUIT"])
        #expect(describe(machine.receive(reply(221, "2.0.0 bye"))) == ["close"])
    }

    @Test func aReplyNobodyAskedForIsAProtocolError() {
        var machine = readyMachine([])
        #expect(describe(machine.receive(reply(250))) == ["close protocolError"])
    }

    @Test func aLostConnectionFailsEveryMessageNotYetAnswered() throws {
        var machine = readyMachine([])
        _ = machine.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = machine.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        let actions = machine.closed(error: SMTPError(code: .timeout, message: "no reply"))
        #expect(describe(actions) == ["m1 failed timeout", "m2 failed timeout"])
        #expect(machine.waitingFor == nil)
    }

    @Test func onlyALossAfterTheWholeMessageLeavesItsDeliveryUnknown() throws {
        let lost = SMTPError(code: .connectionLost, message: "lost")
        var beforeBody = readyMachine(["PIPELINING"])
        _ = beforeBody.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = beforeBody.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = beforeBody.receive(reply(250))
        #expect(failures(beforeBody.closed(error: lost)).map(\.deliveryUnknown) == [false, false])

        var afterBody = readyMachine(["PIPELINING"])
        _ = afterBody.send("m1", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        _ = afterBody.send("m2", envelope: SMTPEnvelope(sender: "a@x.ru", recipients: ["b@x.ru"]), message: try message())
        for code in [250, 250, 354] { _ = afterBody.receive(reply(code)) }
        #expect(failures(afterBody.closed(error: lost)).map(\.deliveryUnknown) == [true, false])
    }

    private func failures(_ actions: [Machine.Action]) -> [SMTPError] {
        actions.compactMap { action in
            if case .complete(_, .failure(let error)) = action { return error }
            return nil
        }
    }
}
