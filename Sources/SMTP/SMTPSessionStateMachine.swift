import Foundation
import NIOCore

/// One SMTP session as a value: greeting, `EHLO` (or `HELO`), `STARTTLS` and `EHLO` again, `AUTH`, then one mail
/// transaction after another (`MAIL FROM`, `RCPT TO` per recipient, `DATA`, the message), `RSET` after a transaction
/// that did not complete, and `QUIT`.
///
/// It performs no I/O: every event (a reply, the TLS handshake's end, a message to send, a close) returns the actions
/// the channel handler carries out, in order. `Context` is what answers a message (a promise in production, a plain
/// value in tests).
struct SMTPSessionStateMachine<Context> {
    /// What the session needs to know from the configuration.
    struct Settings {
        var clientName: String
        var tlsMode: SMTPConfiguration.TLSMode
        var credentials: SMTPCredentials?
    }

    enum Action {
        /// Write these commands in one go.
        case send([SMTPCommand])
        /// Write the message (already dot-stuffed and terminated).
        case sendMessage(ByteBuffer)
        /// Put TLS under the connection and start the handshake; call ``tlsEstablished()`` when it completes.
        case startTLS
        /// The session is ready for mail.
        case ready(SMTPCapabilities)
        /// Answer a message.
        case complete(Context, Result<SMTPDeliveryReport, SMTPError>)
        /// Close the channel; the error, when set, is why the session failed.
        case close(SMTPError?)
    }

    /// What the session waits for, for the handler's deadline.
    enum Wait: Equatable {
        /// A reply to a command (or the greeting, or the TLS handshake).
        case reply
        /// The reply to a whole message.
        case messageReply
    }

    private struct Request {
        var context: Context
        var envelope: SMTPEnvelope
        var message: SMTPMessageData
    }

    private enum Stage {
        case mail, recipients, data, message, emptyMessage
    }

    private struct Transaction {
        var request: Request
        var pipelined: Bool
        var stage: Stage = .mail
        var mailReply: SMTPReply?
        var recipientReplies: [SMTPReply] = []

        var anyRecipientAccepted: Bool { mailReply?.isPositive == true && recipientReplies.contains(where: \.isPositive) }
    }

    private enum AuthStep {
        case plain, login, loginUsername, loginPassword
    }

    private enum State {
        case greeting
        case ehlo
        case helo
        case startTLS
        case tlsHandshake
        case auth(AuthStep)
        case idle
        case transaction(Transaction)
        case reset
        case quitting
        case closed(SMTPError)
    }

    private let settings: Settings
    private var state: State = .greeting
    private var secured: Bool
    private var queue = CircularBuffer<Request>()
    /// The next transaction, whose commands went out behind the current message (RFC 2920: the message content may
    /// open a group of pipelined commands), waiting for the current one's reply.
    private var following: Transaction?
    private var quitRequested = false
    /// What the server offers, from its last `EHLO` reply.
    private(set) var capabilities = SMTPCapabilities()

    init(settings: Settings) {
        self.settings = settings
        self.secured = settings.tlsMode == .implicit
    }

    /// What the session waits for now, if anything.
    var waitingFor: Wait? {
        switch state {
        case .idle, .closed: nil
        case .transaction(let transaction) where transaction.stage == .message: .messageReply
        default: .reply
        }
    }

    /// Whether the connection is encrypted (implicit TLS, or after a completed `STARTTLS`).
    var isSecured: Bool { secured }

    // MARK: - Events

    /// A reply arrived.
    mutating func receive(_ reply: SMTPReply) -> [Action] {
        if reply.code == 421, !isQuitting {
            return fail(SMTPError(code: .connectionLost, message: "the server is closing the connection", reply: reply))
        }
        switch state {
        case .greeting:
            guard reply.code == 220 else { return fail(SMTPError(code: .rejected, message: "the server refused the session", reply: reply)) }
            state = .ehlo
            return [.send([.ehlo(settings.clientName)])]
        case .ehlo:
            if reply.isPositive {
                capabilities = SMTPCapabilities(ehloReply: reply)
                return afterHello()
            }
            guard reply.category == .permanentFailure, !secured else {
                return fail(SMTPError(code: .rejected, message: "the server refused EHLO", reply: reply))
            }
            state = .helo
            return [.send([.helo(settings.clientName)])]
        case .helo:
            guard reply.isPositive else { return fail(SMTPError(code: .rejected, message: "the server refused HELO", reply: reply)) }
            capabilities = SMTPCapabilities()
            return afterHello()
        case .startTLS:
            if reply.code == 220 {
                state = .tlsHandshake
                return [.startTLS]
            }
            guard settings.tlsMode == .startTLSIfOffered else {
                return fail(SMTPError(code: .tlsRequired, message: "the server refused STARTTLS; refusing to continue in clear", reply: reply))
            }
            return authenticate()
        case .tlsHandshake:
            return fail(.protocolError("a reply arrived during the TLS handshake"))
        case .auth(let step):
            return authenticate(step, reply: reply)
        case .idle:
            return fail(.protocolError("the server sent a reply nothing asked for: \(reply)"))
        case .transaction(let transaction):
            return advance(transaction, with: reply)
        case .reset:
            state = .idle
            return startNext()
        case .quitting:
            state = .closed(SMTPError(code: .connectionClosed, message: "the session has ended"))
            return [.close(nil)]
        case .closed:
            return []
        }
    }

    /// The TLS handshake after `STARTTLS` completed: greet again, as RFC 3207 requires (the earlier `EHLO` reply is
    /// forgotten).
    mutating func tlsEstablished() -> [Action] {
        guard case .tlsHandshake = state else { return [] }
        secured = true
        capabilities = SMTPCapabilities()
        state = .ehlo
        return [.send([.ehlo(settings.clientName)])]
    }

    /// A message is to be sent; messages queue while the session sets up or another transaction runs.
    mutating func send(_ context: Context, envelope: SMTPEnvelope, message: SMTPMessageData) -> [Action] {
        if case .closed(let error) = state { return [.complete(context, .failure(error))] }
        if quitRequested {
            return [.complete(context, .failure(SMTPError(code: .connectionClosed, message: "the connection is closing")))]
        }
        do {
            try envelope.validate()
        } catch {
            return [.complete(context, .failure(error))]
        }
        queue.append(Request(context: context, envelope: envelope, message: message))
        return startNext()
    }

    /// The owner asked to end the session: `QUIT` once the messages already given are done; before the session is
    /// ready, the connection just closes.
    mutating func quit() -> [Action] {
        quitRequested = true
        switch state {
        case .idle:
            state = .quitting
            return [.send([.quit])]
        case .greeting, .ehlo, .helo, .startTLS, .tlsHandshake, .auth:
            return fail(SMTPError(code: .connectionClosed, message: "the connection was closed before the session was ready"))
        case .transaction, .reset, .quitting, .closed:
            return []
        }
    }

    /// The channel closed or broke (or a deadline passed): every message not yet answered fails with `error`.
    mutating func closed(error: SMTPError) -> [Action] {
        var actions: [Action] = []
        if case .transaction(let transaction) = state {
            var failure = error
            failure.deliveryUnknown = transaction.stage == .message
            actions.append(.complete(transaction.request.context, .failure(failure)))
        }
        if let following {
            actions.append(.complete(following.request.context, .failure(error)))
            self.following = nil
        }
        actions += queue.map { .complete($0.context, .failure(error)) }
        queue.removeAll()
        if case .closed = state {} else { state = .closed(error) }
        return actions
    }

    // MARK: - Session setup

    private var isQuitting: Bool {
        if case .quitting = state { return true }
        return false
    }

    private mutating func afterHello() -> [Action] {
        if !secured {
            switch settings.tlsMode {
            case .startTLS:
                guard capabilities.startTLS else {
                    return fail(SMTPError(code: .tlsRequired, message: "the server does not offer STARTTLS; refusing to continue in clear"))
                }
                state = .startTLS
                return [.send([.startTLS])]
            case .startTLSIfOffered where capabilities.startTLS:
                state = .startTLS
                return [.send([.startTLS])]
            default:
                break
            }
        }
        return authenticate()
    }

    private mutating func authenticate() -> [Action] {
        guard let credentials = settings.credentials else { return becomeReady() }
        let mechanisms = capabilities.authMechanisms
        if mechanisms.contains("PLAIN") {
            state = .auth(.plain)
            let response = Self.base64("\u{0}\(credentials.username)\u{0}\(credentials.password)")
            return [.send([.auth(mechanism: "PLAIN", initialResponse: response)])]
        }
        if mechanisms.contains("LOGIN") {
            state = .auth(.login)
            return [.send([.auth(mechanism: "LOGIN", initialResponse: nil)])]
        }
        let offered = mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: ", ")
        return fail(
            SMTPError(
                code: .authenticationFailed, message: "the server offers no AUTH mechanism this client speaks (PLAIN, LOGIN); it offers \(offered)"))
    }

    private mutating func authenticate(_ step: AuthStep, reply: SMTPReply) -> [Action] {
        guard let credentials = settings.credentials else { return fail(.protocolError("authenticating without credentials")) }
        switch (step, reply.code) {
        case (.plain, 235), (.loginPassword, 235):
            return becomeReady()
        case (.login, 334):
            state = .auth(.loginUsername)
            return [.send([.authResponse(Self.base64(credentials.username))])]
        case (.loginUsername, 334):
            state = .auth(.loginPassword)
            return [.send([.authResponse(Self.base64(credentials.password))])]
        default:
            return fail(
                SMTPError(code: .authenticationFailed, message: "the server refused the credentials of \(credentials.username)", reply: reply))
        }
    }

    private mutating func becomeReady() -> [Action] {
        state = .idle
        return [.ready(capabilities)] + startNext()
    }

    // MARK: - Transactions

    private mutating func startNext() -> [Action] {
        guard case .idle = state else { return [] }
        var actions: [Action] = []
        while let request = queue.popFirst() {
            if let refusal = refusal(of: request) {
                actions.append(.complete(request.context, .failure(refusal)))
                continue
            }
            var parameters: [String] = []
            if capabilities.maximumSize != nil { parameters.append("SIZE=\(request.message.size)") }
            if request.message.has8BitContent { parameters.append("BODY=8BITMIME") }
            if request.envelope.needsSMTPUTF8 { parameters.append("SMTPUTF8") }
            let mail = SMTPCommand.mail(from: request.envelope.sender, parameters: parameters)
            let transaction = Transaction(request: request, pipelined: capabilities.pipelining)
            state = .transaction(transaction)
            if transaction.pipelined {
                let recipients = request.envelope.recipients.map { SMTPCommand.recipient(to: $0, parameters: []) }
                actions.append(.send([mail] + recipients + [.data]))
            } else {
                actions.append(.send([mail]))
            }
            return actions
        }
        if quitRequested {
            state = .quitting
            actions.append(.send([.quit]))
        }
        return actions
    }

    /// With pipelining, the next queued message's `MAIL FROM`, `RCPT TO` and `DATA` right behind the current
    /// message, so that each message costs one round trip more than its content instead of two.
    private mutating func startFollowing() -> [Action] {
        guard capabilities.pipelining, following == nil, !quitRequested else { return [] }
        var actions: [Action] = []
        while let request = queue.popFirst() {
            if let refusal = refusal(of: request) {
                actions.append(.complete(request.context, .failure(refusal)))
                continue
            }
            let transaction = Transaction(request: request, pipelined: true)
            following = transaction
            actions.append(.send(Self.commands(of: request, capabilities: capabilities)))
            break
        }
        return actions
    }

    /// A pipelined transaction's commands.
    private static func commands(of request: Request, capabilities: SMTPCapabilities) -> [SMTPCommand] {
        var parameters: [String] = []
        if capabilities.maximumSize != nil { parameters.append("SIZE=\(request.message.size)") }
        if request.message.has8BitContent { parameters.append("BODY=8BITMIME") }
        if request.envelope.needsSMTPUTF8 { parameters.append("SMTPUTF8") }
        let recipients = request.envelope.recipients.map { SMTPCommand.recipient(to: $0, parameters: []) }
        return [.mail(from: request.envelope.sender, parameters: parameters)] + recipients + [.data]
    }

    /// Why the server cannot take this message as it is, checked before anything is sent.
    private func refusal(of request: Request) -> SMTPError? {
        if request.envelope.needsSMTPUTF8, !capabilities.smtpUTF8 {
            return SMTPError(code: .unsupported, message: "an address is not ASCII and the server does not offer SMTPUTF8")
        }
        if request.message.has8BitContent, !capabilities.eightBitMIME {
            return SMTPError(code: .unsupported, message: "the message has 8-bit content and the server does not offer 8BITMIME")
        }
        if let maximum = capabilities.maximumSize, maximum > 0, request.message.size > maximum {
            return SMTPError(
                code: .unsupported, message: "the message of \(request.message.size) octets is larger than the server's limit of \(maximum)")
        }
        return nil
    }

    private mutating func advance(_ transaction: Transaction, with reply: SMTPReply) -> [Action] {
        var transaction = transaction
        let recipients = transaction.request.envelope.recipients
        switch transaction.stage {
        case .mail:
            transaction.mailReply = reply
            if !transaction.pipelined, !reply.isPositive { return abandon(transaction, finalReply: reply) }
            transaction.stage = .recipients
            state = .transaction(transaction)
            return transaction.pipelined ? [] : [.send([.recipient(to: recipients[0], parameters: [])])]
        case .recipients:
            transaction.recipientReplies.append(reply)
            let count = transaction.recipientReplies.count
            if count < recipients.count {
                state = .transaction(transaction)
                return transaction.pipelined ? [] : [.send([.recipient(to: recipients[count], parameters: [])])]
            }
            if !transaction.pipelined, !transaction.anyRecipientAccepted { return abandon(transaction, finalReply: reply) }
            transaction.stage = .data
            state = .transaction(transaction)
            return transaction.pipelined ? [] : [.send([.data])]
        case .data:
            guard reply.code == 354 else { return abandon(transaction, finalReply: reply) }
            if transaction.anyRecipientAccepted {
                transaction.stage = .message
                state = .transaction(transaction)
                return [.sendMessage(transaction.request.message.wireBytes)] + startFollowing()
            }
            // Pipelined, every recipient refused, and still the server waits for the message: end DATA at once
            // (RFC 2920 §3.1) so that nothing is delivered.
            transaction.stage = .emptyMessage
            state = .transaction(transaction)
            return [.sendMessage(ByteBuffer(string: ".\r\n"))]
        case .message:
            let done = Action.complete(transaction.request.context, .success(Self.report(transaction, finalReply: reply)))
            if let following {
                state = .transaction(following)
                self.following = nil
                return [done]
            }
            state = .idle
            return [done] + startNext()
        case .emptyMessage:
            let last = transaction.recipientReplies.last(where: { !$0.isPositive }) ?? transaction.mailReply ?? reply
            return abandon(transaction, finalReply: last)
        }
    }

    /// Ends a transaction that did not deliver the message: answers it and resets the session before the next one.
    private mutating func abandon(_ transaction: Transaction, finalReply: SMTPReply) -> [Action] {
        state = .reset
        return [.complete(transaction.request.context, .success(Self.report(transaction, finalReply: finalReply))), .send([.reset])]
    }

    /// Each recipient's outcome: refused by `MAIL FROM`, by its own `RCPT TO`, or decided by the final reply.
    private static func report(_ transaction: Transaction, finalReply: SMTPReply) -> SMTPDeliveryReport {
        let recipients = transaction.request.envelope.recipients.enumerated().map { index, address in
            let reply: SMTPReply
            if let mail = transaction.mailReply, !mail.isPositive {
                reply = mail
            } else if index < transaction.recipientReplies.count, !transaction.recipientReplies[index].isPositive {
                reply = transaction.recipientReplies[index]
            } else {
                reply = finalReply
            }
            return SMTPDeliveryReport.Recipient(address: address, status: .init(reply), reply: reply)
        }
        return SMTPDeliveryReport(recipients: recipients, finalReply: finalReply)
    }

    // MARK: - Helpers

    private mutating func fail(_ error: SMTPError) -> [Action] {
        closed(error: error) + [.close(error)]
    }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}
