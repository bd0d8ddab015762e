import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import SMTP

@Suite struct DKIMSignerTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func relaxedCanonicalizationFollowsTheRFCExample() {
        // RFC 6376 §3.4.5.
        let (fields, body) = DKIMCanonicalization.split(bytes("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n"))
        let headers = fields.flatMap { DKIMCanonicalization.header(name: $0.name, raw: $0.raw) }
        #expect(String(decoding: headers, as: UTF8.self) == "a:X\r\nb:Y Z\r\n")
        #expect(String(decoding: DKIMCanonicalization.body(body), as: UTF8.self) == " C\r\nD E\r\n")
        #expect(DKIMCanonicalization.body(ArraySlice(bytes("\r\n\r\n"))) == [])
    }

    private var message: MailMessage {
        MailMessage(
            from: MailAddress("billing@lastmile.test", name: "Биллинг"), to: [MailAddress("ivan@example.test")], subject: "Счёт",
            text: "Сумма: 750 ₽\n", html: "<p>750 ₽</p>", unsubscribeURL: "https://lastmile.test/u/1", messageID: "dkim-1@lastmile.test",
            date: Date(timeIntervalSince1970: 1_796_668_884))
    }

    private func signatureTags(_ signed: [UInt8]) -> [String: String] {
        let text = String(decoding: signed, as: UTF8.self)
        let header = text.components(separatedBy: "\r\n").prefix { !$0.isEmpty }.joined(separator: "\r\n")
            .components(separatedBy: "\r\nDate:")[0].replacingOccurrences(of: "\r\n\t", with: "").replacingOccurrences(of: " ", with: "")
        let value = header.replacingOccurrences(of: "DKIM-Signature:", with: "")
        var tags: [String: String] = [:]
        for tag in value.split(separator: ";") {
            let parts = tag.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { tags[String(parts[0])] = String(parts[1]) }
        }
        return tags
    }

    @Test func anEd25519SignatureSignsTheHeadersThatMatter() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signer = DKIMSigner(domain: "lastmile.test", selector: "mail2026", key: .ed25519(key))
        let rendered = message.rendered()
        let signed = try signer.sign(rendered, at: Date(timeIntervalSince1970: 1_796_668_884))
        #expect(Array(signed.suffix(rendered.count)) == rendered)
        let tags = signatureTags(signed)
        #expect(tags["a"] == "ed25519-sha256" && tags["c"] == "relaxed/relaxed" && tags["d"] == "lastmile.test" && tags["s"] == "mail2026")
        #expect(tags["t"] == "1796668884")
        #expect(tags["h"] == "from:subject:date:to:message-id:mime-version:content-type:list-unsubscribe:list-unsubscribe-post")
        #expect(Data(base64Encoded: tags["b"] ?? "")?.count == 64)
        #expect(signer.dnsRecord == "v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString())
        // The body hash changes with the body and not with trailing empty lines.
        let (_, body) = DKIMCanonicalization.split(rendered)
        #expect(tags["bh"] == Data(SHA256.hash(data: DKIMCanonicalization.body(body))).base64EncodedString())
    }

    @Test func aMessageWithoutFromCannotBeSigned() {
        let signer = DKIMSigner(domain: "lastmile.test", selector: "s", key: .ed25519(Curve25519.Signing.PrivateKey()))
        #expect(throws: SMTPError.self) { try signer.sign(bytes("Subject: x\r\n\r\nbody\r\n")) }
    }
}
