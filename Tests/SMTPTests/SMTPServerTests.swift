import ClientSupport
import ClientTLS
import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing
import _CryptoExtras

@testable import SMTP

private let environment = ProcessInfo.processInfo.environment
private let smtpURL = environment["LASTMILE_TEST_SMTP_URL"]
private let maildir = environment["LASTMILE_TEST_SMTP_MAILDIR"]
private let caFile = environment["LASTMILE_TEST_TLS_CA_FILE"]

/// What Python's `email` package made of a received message, and the envelope the server recorded.
private struct ReceivedMail: Decodable {
    struct Part: Decodable {
        var type: String
        var charset: String?
        var encoding: String?
        var content: String
    }

    struct Envelope: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
        var mail_options: [String]
        var ehlo: String
        var peer: [PeerField]
    }

    enum PeerField: Decodable, Hashable {
        case text(String), number(Int)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    var subject: String
    var from_name: String
    var from_address: String
    var to: [[String]]
    var type: String
    var message_id: String
    var list_unsubscribe: String?
    var list_unsubscribe_post: String?
    var bcc: String?
    var defects: [String]
    var parts: [Part]
    var envelope: Envelope?
}

/// Parses a received message with Python's `email` package (the modern policy), independent of our rendering.
private let parser = """
    import email, json, sys
    from email import policy
    with open(sys.argv[1], "rb") as f:
        msg = email.message_from_binary_file(f, policy=policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                      "encoding": part["Content-Transfer-Encoding"], "content": part.get_content()})
    sender = msg["from"].addresses[0]
    defects = [type(d).__name__ for p in msg.walk() for d in p.defects]
    print(json.dumps({"subject": str(msg["subject"]), "from_name": sender.display_name, "from_address": sender.addr_spec,
                      "to": [[a.display_name, a.addr_spec] for a in msg["to"].addresses], "type": msg.get_content_type(),
                      "message_id": str(msg["message-id"]), "list_unsubscribe": msg["list-unsubscribe"],
                      "list_unsubscribe_post": msg["list-unsubscribe-post"], "bcc": msg["bcc"], "defects": defects,
                      "parts": parts}))
    """

@Suite(
    .enabled(
        if: smtpURL != nil && maildir != nil && caFile != nil, "set LASTMILE_TEST_SMTP_URL, LASTMILE_TEST_SMTP_MAILDIR and LASTMILE_TEST_TLS_CA_FILE"),
    .serialized)
struct SMTPServerTests {
    private func configuration(url: String = smtpURL!, clientName: String = "lm-test.example") throws -> SMTPConfiguration {
        try SMTPConfiguration(url: url, tls: ClientTLSConfiguration(caFile: caFile!), clientName: clientName)
    }

    /// The received message whose `Message-ID` is `id`, as Python reads it, with its envelope. The server writes the
    /// file before it answers the message, so it is there once `send` returns.
    private func received(messageID id: String) throws -> ReceivedMail {
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir!).filter { $0.hasSuffix(".eml") }
        for file in files {
            let path = maildir! + "/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("Message-ID: <\(id)>") else { continue }
            var mail = try parse(path)
            let json = try Data(contentsOf: URL(fileURLWithPath: String(path.dropLast(4)) + ".json"))
            mail.envelope = try JSONDecoder().decode(ReceivedMail.Envelope.self, from: json)
            return mail
        }
        throw SMTPError(code: .invalidMessage, message: "no received message has Message-ID \(id)")
    }

    private func parse(_ path: String) throws -> ReceivedMail {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", parser, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode(ReceivedMail.self, from: data)
    }

    private func uniqueID() -> String { "\(UUID().uuidString.lowercased())@lastmile.test" }

    @Test func aCyrillicMultipartMessageArrivesAsSentAndEachRecipientHasItsOutcome() async throws {
        let connection = try await SMTPConnection.connect(configuration: try configuration())
        #expect(connection.capabilities.pipelining && connection.capabilities.smtpUTF8)
        let id = uniqueID()
        let message = MailMessage(
            from: MailAddress("billing@lastmile.test", name: "ЛастМайл, биллинг"),
            to: [MailAddress("ivan@example.test", name: "Иван Петров"), MailAddress("reject-1@example.test"), MailAddress("later-1@example.test")],
            bcc: [MailAddress("audit@lastmile.test")],
            subject: "Счёт за декабрь 2026 года по договору № 12345 — оплатите до 10 января, пожалуйста",
            text: "Здравствуйте, Иван!\nСумма к оплате: 750,00 ₽.\n.\n.точка в начале строки\n",
            html: "<html><body><p style=\"color: #333\">Сумма к оплате: <b>750,00&nbsp;₽</b></p></body></html>",
            unsubscribeURL: "https://lastmile.test/u/abc", messageID: id)
        let report = try await connection.send(message)
        #expect(report.accepted == ["ivan@example.test", "audit@lastmile.test"])
        #expect(report.permanentFailures == ["reject-1@example.test"])
        #expect(report.transientFailures == ["later-1@example.test"])
        #expect(report.recipients[1].reply.enhancedStatus?.description == "5.1.1")
        #expect(report.finalReply.code == 250)
        await connection.close()
        #expect(!connection.isActive)

        let mail = try received(messageID: id)
        #expect(mail.subject == message.subject)
        #expect(mail.from_name == "ЛастМайл, биллинг" && mail.from_address == "billing@lastmile.test")
        #expect(mail.to.first == ["Иван Петров", "ivan@example.test"])
        #expect(mail.type == "multipart/alternative")
        #expect(mail.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(mail.parts.allSatisfy { $0.charset == "utf-8" })
        #expect(mail.parts[0].content.replacingOccurrences(of: "\r\n", with: "\n") == message.text)
        #expect(mail.parts[1].content.replacingOccurrences(of: "\r\n", with: "\n") == message.html!)
        #expect(mail.list_unsubscribe == "<https://lastmile.test/u/abc>")
        #expect(mail.list_unsubscribe_post == "List-Unsubscribe=One-Click")
        #expect(mail.bcc == nil)
        #expect(mail.defects == [])
        #expect(mail.envelope?.mail_from == "billing@lastmile.test")
        #expect(mail.envelope?.rcpt_tos == ["ivan@example.test", "audit@lastmile.test"])
        #expect(mail.envelope?.mail_options.contains { $0.hasPrefix("SIZE=") } == true)
    }

    @Test func authLoginWithoutPipelining() async throws {
        let connection = try await SMTPConnection.connect(configuration: try configuration(clientName: "login-only.lm-test.example"))
        #expect(connection.capabilities.authMechanisms == ["LOGIN"] && !connection.capabilities.pipelining)
        let id = uniqueID()
        let report = try await connection.send(
            MailMessage(
                from: MailAddress("a@lastmile.test"), to: [MailAddress("b@example.test"), MailAddress("reject-2@example.test")], subject: "LOGIN",
                text: "hi", messageID: id))
        #expect(report.accepted == ["b@example.test"] && report.permanentFailures == ["reject-2@example.test"])
        await connection.close()
        #expect(try received(messageID: id).envelope?.ehlo == "login-only.lm-test.example")
    }

    @Test func utf8AddressesAndEightBitBodiesGoWhenOffered() async throws {
        let connection = try await SMTPConnection.connect(configuration: try configuration())
        let id = uniqueID()
        let raw =
            "From: a@lastmile.test\r\nTo: undisclosed-recipients:;\r\nSubject: 8bit\r\nMessage-ID: <\(id)>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nПривет\n..\n"
        let report = try await connection.send(
            try SMTPMessageData(Array(raw.utf8)), envelope: SMTPEnvelope(sender: "a@lastmile.test", recipients: ["иван@пример.рф"]))
        #expect(report.isFullyAccepted)
        await connection.close()
        let mail = try received(messageID: id)
        #expect(mail.envelope?.rcpt_tos == ["иван@пример.рф"])
        #expect(mail.envelope?.mail_options.contains("BODY=8BITMIME") == true && mail.envelope?.mail_options.contains("SMTPUTF8") == true)
        #expect(mail.parts.first?.content.replacingOccurrences(of: "\r\n", with: "\n") == "Привет\n..\n")
    }

    @Test func aWrongPasswordIsRefusedAndNeverShown() async throws {
        var components = URLComponents(string: smtpURL!)!
        components.password = "not-the-password-42"
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPConnection.connect(configuration: try configuration(url: components.string!))
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.reply?.code == 535)
        #expect(error.map { !"\($0)".contains("not-the-password-42") } == true)
    }

    @Test func aCertificateFromAnUntrustedCAIsRefused() async throws {
        let untrusted = try SMTPConfiguration(url: smtpURL!, tls: ClientTLSConfiguration(), clientName: "lm-test.example")
        let error = await #expect(throws: SMTPError.self) { try await SMTPConnection.connect(configuration: untrusted) }
        #expect(error?.message.contains("certificate") == true)
    }

    @Test func thePoolReusesAFewConnectionsForManyMessages() async throws {
        let client = SMTPClient(configuration: try configuration(), maximumConnections: 2)
        let running = Task { try await client.run() }
        let ids = (0..<12).map { _ in uniqueID() }
        let reports = try await withThrowingTaskGroup(of: SMTPDeliveryReport.self) { group in
            for id in ids {
                group.addTask {
                    try await client.send(
                        MailMessage(
                            from: MailAddress("a@lastmile.test"), to: [MailAddress("b@example.test")], subject: "pool", text: "x", messageID: id))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.count == 12 && reports.allSatisfy(\.isFullyAccepted))
        #expect(await client.openConnectionCount <= 2)
        running.cancel()
        try await running.value
        #expect(await client.openConnectionCount == 0)
        let peers = Set(try ids.map { try received(messageID: $0).envelope?.peer ?? [] })
        #expect(peers.count <= 2)
    }
}

/// Verifies a received message's DKIM signature with dkimpy, the key's record given instead of DNS.
private let dkimVerifier = """
    import dkim, sys
    message = open(sys.argv[1], "rb").read()
    record = sys.argv[2].encode()
    ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
    print("verified" if ok else "failed")
    """

extension SMTPServerTests {
    private func emlPath(messageID id: String) throws -> String {
        for file in try FileManager.default.contentsOfDirectory(atPath: maildir!) where file.hasSuffix(".eml") {
            let path = maildir! + "/" + file
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("Message-ID: <\(id)>") { return path }
        }
        throw SMTPError(code: .invalidMessage, message: "no received message has Message-ID \(id)")
    }

    private func dkimpy(_ path: String, record: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", dkimVerifier, path, record]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["rsa-sha256", "ed25519-sha256"]) func dkimSignaturesVerifyWithDkimpy(algorithm: String) async throws {
        let key: DKIMSigner.Key =
            algorithm == "rsa-sha256" ? .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)) : .ed25519(Curve25519.Signing.PrivateKey())
        let signer = DKIMSigner(domain: "lastmile.test", selector: "mail", key: key)
        let id = uniqueID()
        let message = MailMessage(
            from: MailAddress("billing@lastmile.test", name: "ЛастМайл"), to: [MailAddress("ivan@example.test", name: "Иван")],
            subject: "Подписанное письмо с длинной темой, которая займёт не одну строку заголовка", text: "Сумма:  750 ₽ \n\n.\n",
            html: "<p>Сумма: <b>750 ₽</b></p>", unsubscribeURL: "https://lastmile.test/u/2", messageID: id)
        let connection = try await SMTPConnection.connect(configuration: try configuration())
        let report = try await connection.send(message, signedWith: signer)
        #expect(report.isFullyAccepted)
        await connection.close()
        let path = try emlPath(messageID: id)
        #expect(try dkimpy(path, record: signer.dnsRecord) == "verified")
        // A changed signed header no longer verifies.
        var tampered = try String(contentsOfFile: path, encoding: .utf8)
        tampered = tampered.replacingOccurrences(
            of: "List-Unsubscribe-Post: List-Unsubscribe=One-Click", with: "List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks")
        let tamperedPath = path + ".tampered"
        try tampered.write(toFile: tamperedPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tamperedPath) }
        #expect(try dkimpy(tamperedPath, record: signer.dnsRecord) == "failed")
    }
}

extension SMTPServerTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LASTMILE_TEST_SMTPS_URL"] != nil))
    func implicitTLSFromTheFirstByte() async throws {
        let url = ProcessInfo.processInfo.environment["LASTMILE_TEST_SMTPS_URL"]!
        let configuration = try SMTPConfiguration(url: url, tls: ClientTLSConfiguration(caFile: caFile!), clientName: "lm-test.example")
        #expect(configuration.tlsMode == .implicit)
        let connection = try await SMTPConnection.connect(configuration: configuration)
        #expect(!connection.capabilities.startTLS && connection.capabilities.authMechanisms.contains("PLAIN"))
        let id = uniqueID()
        let report = try await connection.send(
            MailMessage(from: MailAddress("a@lastmile.test"), to: [MailAddress("b@example.test")], subject: "smtps", text: "x", messageID: id))
        #expect(report.isFullyAccepted)
        await connection.close()
        #expect(try received(messageID: id).subject == "smtps")
    }

    @Test func aServerThatCannotBeReachedFailsAfterTheConfiguredAttempts() async throws {
        // A port the kernel has just handed out and that nothing listens on any more.
        let socket = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = socket.localAddress!.port!
        try await socket.close()
        var configuration = try configuration()
        configuration.port = port
        let client = SMTPClient(
            configuration: configuration, backoff: Backoff(initial: .milliseconds(1), maximum: .milliseconds(2)), connectAttempts: 3)
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: MailAddress("a@lastmile.test"), to: [MailAddress("b@example.test")], subject: "x", text: "x"))
        }
        #expect(error?.code == .connectionLost && error?.isTransient == true)
        #expect(await client.openConnectionCount == 0)
    }
}
