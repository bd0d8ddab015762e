import Foundation
import Testing

@testable import SMTP

@Suite struct MailMessageTests {
    private let date = Date(timeIntervalSince1970: 1_796_668_884)

    private func render(_ message: MailMessage) -> String { String(decoding: message.rendered(), as: UTF8.self) }

    /// The header block, unfolded: name → value.
    private func headers(_ text: String) -> [String: String] {
        let head = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var result: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = String(line[line.index(after: colon)...].dropFirst())
        }
        return result
    }

    /// Decodes `=?UTF-8?B?…?=` words separated by folding whitespace.
    private func decodeWords(_ value: String) -> String {
        value.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return String(word) }
            let payload = word.dropFirst(10).dropLast(2)
            return String(decoding: Data(base64Encoded: String(payload)) ?? Data(), as: UTF8.self)
        }.joined()
    }

    /// Table layout and inline CSS, mostly ASCII: quoted-printable fits it.
    static let html = """
        <html><body><table width="100%" cellpadding="0" cellspacing="0" style="font-family: Arial, sans-serif; color: #333333">\
        <tr><td style="padding: 16px">Сумма к оплате: <b>750,00 ₽</b></td></tr></table></body></html>
        """

    private var cyrillicMessage: MailMessage {
        MailMessage(
            from: MailAddress("billing@lastmile.example", name: "ЛастМайл — биллинг"), to: [MailAddress("ivan@example.ru", name: "Иван Петров")],
            cc: [MailAddress("plain@example.ru", name: "Smith, John")], bcc: [MailAddress("audit@lastmile.example")],
            subject: "Счёт за декабрь 2026 года по договору № 12345 — оплатите до 10 января, пожалуйста",
            text: "Здравствуйте, Иван!\nСумма к оплате: 750,00 ₽.\n",
            html: Self.html,
            unsubscribeURL: "https://lastmile.example/u/abc123", unsubscribeMailto: "mailto:unsubscribe@lastmile.example?subject=abc123",
            messageID: "invoice-42@lastmile.example", date: date)
    }

    @Test func theMessageIsASCIIWithShortLines() {
        let text = render(cyrillicMessage)
        #expect(text.utf8.allSatisfy { $0 < 128 })
        for line in text.components(separatedBy: "\r\n") { #expect(line.count <= 78, "\(line)") }
        #expect(!text.contains("\n\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func cyrillicHeadersAreEncodedWords() {
        let headers = headers(render(cyrillicMessage))
        #expect(decodeWords(headers["Subject"] ?? "") == cyrillicMessage.subject)
        #expect(headers["From"]?.hasSuffix(" <billing@lastmile.example>") == true)
        #expect(decodeWords(headers["From"] ?? "").hasPrefix("ЛастМайл — биллинг"))
        #expect(headers["Cc"] == "\"Smith, John\" <plain@example.ru>")
        #expect(headers["Bcc"] == nil)
        #expect(headers["Message-ID"] == "<invoice-42@lastmile.example>")
        #expect(headers["Date"] == "Mon, 07 Dec 2026 18:41:24 +0000")
        #expect(headers["MIME-Version"] == "1.0")
    }

    @Test func oneClickUnsubscribeHeaders() {
        let headers = headers(render(cyrillicMessage))
        #expect(headers["List-Unsubscribe"] == "<https://lastmile.example/u/abc123>, <mailto:unsubscribe@lastmile.example?subject=abc123>")
        #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        var mailtoOnly = cyrillicMessage
        mailtoOnly.unsubscribeURL = nil
        #expect(self.headers(render(mailtoOnly))["List-Unsubscribe-Post"] == nil)
        var none = cyrillicMessage
        (none.unsubscribeURL, none.unsubscribeMailto) = (nil, nil)
        #expect(self.headers(render(none))["List-Unsubscribe"] == nil)
    }

    @Test func textAndHTMLAreAlternatives() throws {
        let text = render(cyrillicMessage)
        let contentType = try #require(headers(text)["Content-Type"])
        #expect(contentType.hasPrefix("multipart/alternative;"))
        let boundary = try #require(contentType.components(separatedBy: "boundary=\"").last?.dropLast())
        let parts = text.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4 && parts[3] == "--\r\n")
        #expect(parts[1].contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"))
        #expect(parts[2].contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        let base64 = parts[1].components(separatedBy: "\r\n\r\n")[1].replacingOccurrences(of: "\r\n", with: "")
        #expect(String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self) == "Здравствуйте, Иван!\r\nСумма к оплате: 750,00 ₽.\r\n")
    }

    @Test func aSinglePartNeedsNoMultipart() {
        let message = MailMessage(from: MailAddress("a@x.ru"), to: [MailAddress("b@x.ru")], subject: "Hello", text: "Plain ASCII text.\n")
        let text = render(message)
        #expect(headers(text)["Content-Type"] == "text/plain; charset=utf-8")
        #expect(headers(text)["Content-Transfer-Encoding"] == "7bit")
        #expect(text.hasSuffix("\r\n\r\nPlain ASCII text.\r\n"))
        #expect(headers(text)["Message-ID"]?.hasSuffix("@x.ru>") == true)
    }

    @Test func quotedPrintableKeepsLinesShortAndEncodesWhatItMust() {
        let encoded = MIMEEncoding.quotedPrintable(String(repeating: "a=b ", count: 40) + "end \nnext\tй")
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.count <= 76) }
        #expect(encoded.contains("a=3Db"))
        #expect(encoded.contains("end=20\r\n"))
        #expect(encoded.hasSuffix("next\t=D0=B9\r\n"))
        // Undoing the soft breaks and escapes gives the text back.
        let unfolded = encoded.replacingOccurrences(of: "=\r\n", with: "")
        #expect(unfolded.hasPrefix(String(repeating: "a=3Db ", count: 40)))
    }

    @Test func headerInjectionIsDefused() {
        let message = MailMessage(
            from: MailAddress("a@x.ru", name: "Evil\r\nBcc: victim@x.ru"), to: [MailAddress("b@x.ru")], subject: "hi\r\nBcc: victim@x.ru", text: "x")
        let text = render(message)
        #expect(!text.contains("\r\nBcc:"))
    }

    @Test func theEnvelopeHoldsEveryRecipientOnce() {
        var message = cyrillicMessage
        message.cc.append(MailAddress("IVAN@example.ru"))
        #expect(
            message.envelope
                == SMTPEnvelope(sender: "billing@lastmile.example", recipients: ["ivan@example.ru", "plain@example.ru", "audit@lastmile.example"]))
        message.envelopeSender = "bounces+42@lastmile.example"
        #expect(message.envelope.sender == "bounces+42@lastmile.example")
    }
}
