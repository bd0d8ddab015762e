import Crypto
import Foundation
import _CryptoExtras

/// Signs messages with DKIM (RFC 6376): relaxed/relaxed canonicalization, `rsa-sha256` or `ed25519-sha256`
/// (RFC 8463). The signature goes on top of the message as a `DKIM-Signature` header.
public struct DKIMSigner: Sendable {
    /// The signing key.
    public enum Key: Sendable {
        /// An RSA key (2048 bits or more), for `rsa-sha256`.
        case rsa(_RSA.Signing.PrivateKey)
        /// An Ed25519 key, for `ed25519-sha256`.
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    /// The headers signed when present, in this order. `From` is required; the list headers are signed so that
    /// one-click unsubscription (RFC 8058) can be trusted.
    public static let defaultHeaders = [
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
        "List-Unsubscribe", "List-Unsubscribe-Post",
    ]

    /// The signing domain (`d=`).
    public var domain: String
    /// The selector (`s=`): the key's record is at `<selector>._domainkey.<domain>`.
    public var selector: String
    /// The key.
    public var key: Key
    /// The header names to sign when present.
    public var headers: [String]

    /// Creates a signer.
    public init(domain: String, selector: String, key: Key, headers: [String] = DKIMSigner.defaultHeaders) {
        self.domain = domain
        self.selector = selector
        self.key = key
        self.headers = headers
    }

    /// The DNS TXT record that publishes the public key (`v=DKIM1; k=…; p=…`).
    public var dnsRecord: String {
        switch key {
        case .rsa(let key): "v=DKIM1; k=rsa; p=" + key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let key): "v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// `message` (RFC 5322 with CRLF line breaks, as ``MailMessage/rendered()`` gives) with a `DKIM-Signature`
    /// header added on top.
    public func sign(_ message: [UInt8], at date: Date = Date()) throws(SMTPError) -> [UInt8] {
        let (fields, body) = DKIMCanonicalization.split(message)
        guard fields.contains(where: { $0.name.lowercased() == "from" }) else {
            throw SMTPError(code: .invalidMessage, message: "a message to sign with DKIM needs a From header")
        }
        let bodyHash = Data(SHA256.hash(data: DKIMCanonicalization.body(body))).base64EncodedString()

        // Each name signs its last unused instance, from the bottom up (RFC 6376 §5.4.2).
        var used = Set<Int>()
        var signedNames: [String] = []
        var signedData: [UInt8] = []
        for name in headers {
            guard let index = fields.indices.reversed().first(where: { !used.contains($0) && fields[$0].name.lowercased() == name.lowercased() })
            else {
                continue
            }
            used.insert(index)
            signedNames.append(name.lowercased())
            signedData += DKIMCanonicalization.header(name: fields[index].name, raw: fields[index].raw)
        }
        let algorithm =
            switch key {
            case .rsa: "rsa-sha256"
            case .ed25519: "ed25519-sha256"
            }
        let tags = [
            "v=1", "a=\(algorithm)", "c=relaxed/relaxed", "d=\(domain)", "s=\(selector)", "t=\(Int(date.timeIntervalSince1970))",
            "h=\(signedNames.joined(separator: ":"))", "bh=\(bodyHash)",
        ]
        let unsigned = " " + tags.joined(separator: ";\r\n\t") + ";\r\n\tb="
        signedData += DKIMCanonicalization.header(name: "DKIM-Signature", raw: Array(unsigned.utf8), lineBreak: false)

        let signature: Data
        do {
            switch key {
            case .rsa(let key): signature = try key.signature(for: signedData, padding: .insecurePKCS1v1_5).rawRepresentation
            case .ed25519(let key): signature = try key.signature(for: Data(SHA256.hash(data: signedData)))
            }
        } catch {
            throw SMTPError(code: .invalidConfiguration, message: "DKIM signing failed: \(error)")
        }
        let encoded = signature.base64EncodedString()
        var folded = ""
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 64, limitedBy: encoded.endIndex) ?? encoded.endIndex
            folded += (folded.isEmpty ? "" : "\r\n\t ") + encoded[start..<end]
            start = end
        }
        return Array(("DKIM-Signature:" + unsigned + folded + "\r\n").utf8) + message
    }
}

extension MailMessage {
    /// The message rendered, signed with `signer`, and ready for `DATA`.
    public func messageData(signedWith signer: DKIMSigner) throws(SMTPError) -> SMTPMessageData {
        try SMTPMessageData(signer.sign(rendered(), at: date ?? Date()))
    }
}
