import Foundation

/// An e-mail to render as RFC 5322 text: the addresses, a subject, a text body, an HTML body or both (then
/// `multipart/alternative`), and the headers a bulk sender owes its recipients (`Message-ID`, `Date`,
/// `List-Unsubscribe` with RFC 8058 one-click).
public struct MailMessage: Sendable, Hashable {
    /// The author (`From`); its address is the envelope sender unless ``envelopeSender`` is set.
    public var from: MailAddress
    /// The primary recipients (`To`).
    public var to: [MailAddress]
    /// The copied recipients (`Cc`).
    public var cc: [MailAddress]
    /// The blind-copied recipients: in the envelope, never in the headers.
    public var bcc: [MailAddress]
    /// Where replies go (`Reply-To`), when not to the author.
    public var replyTo: MailAddress?
    /// The envelope sender (`MAIL FROM`, where bounces go) when not the author's address.
    public var envelopeSender: String?
    /// The subject, in any script.
    public var subject: String
    /// The plain-text body.
    public var text: String?
    /// The HTML body.
    public var html: String?
    /// The HTTPS address that unsubscribes the recipient with one POST (RFC 8058); also sent as `List-Unsubscribe`.
    public var unsubscribeURL: String?
    /// A `mailto:` address that unsubscribes, offered beside the URL in `List-Unsubscribe`.
    public var unsubscribeMailto: String?
    /// More headers, rendered as given after the standard ones (names and values on one line each).
    public var extraHeaders: [Header]
    /// The `Message-ID` without angle brackets; `nil` makes one from a random UUID and the author's domain.
    public var messageID: String?
    /// The `Date`; `nil` uses the time of rendering.
    public var date: Date?

    /// One extra header.
    public struct Header: Sendable, Hashable {
        /// The field name (`X-Campaign`).
        public var name: String
        /// The value; line breaks in it are replaced by spaces.
        public var value: String

        /// Creates a header.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a message.
    public init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [], replyTo: MailAddress? = nil,
        subject: String, text: String? = nil, html: String? = nil, unsubscribeURL: String? = nil, unsubscribeMailto: String? = nil,
        extraHeaders: [Header] = [], messageID: String? = nil, date: Date? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.unsubscribeURL = unsubscribeURL
        self.unsubscribeMailto = unsubscribeMailto
        self.extraHeaders = extraHeaders
        self.messageID = messageID
        self.date = date
    }

    /// The envelope: the sender and every recipient in `To`, `Cc` and `Bcc`, each once.
    public var envelope: SMTPEnvelope {
        var seen = Set<String>()
        let recipients = (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
        return SMTPEnvelope(sender: envelopeSender ?? from.address, recipients: recipients)
    }

    /// The message as RFC 5322 text with CRLF line breaks, ASCII only (non-ASCII goes through RFC 2047 and the
    /// transfer encodings).
    public func rendered() -> [UInt8] {
        var headers: [(String, String)] = []
        headers.append(("Date", Self.rfc5322Date(date ?? Date())))
        headers.append(("From", from.headerText))
        if !to.isEmpty { headers.append(("To", Self.addressList(to, nameLength: 2))) }
        if !cc.isEmpty { headers.append(("Cc", Self.addressList(cc, nameLength: 2))) }
        if let replyTo { headers.append(("Reply-To", replyTo.headerText)) }
        headers.append(("Subject", MIMEEncoding.unstructured(subject, nameLength: 7)))
        headers.append(("Message-ID", "<\(messageID ?? Self.makeMessageID(domain: from.domain))>"))
        let unsubscribe = [unsubscribeURL, unsubscribeMailto].compactMap { $0 }.map { "<\(MIMEEncoding.singleLine($0))>" }
        if !unsubscribe.isEmpty {
            headers.append(("List-Unsubscribe", MIMEEncoding.fold(words: unsubscribe, separator: ", ", firstLineUsed: 18)))
            if let unsubscribeURL, unsubscribeURL.lowercased().hasPrefix("https:") {
                headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
            }
        }
        for header in extraHeaders { headers.append((MIMEEncoding.singleLine(header.name), MIMEEncoding.singleLine(header.value))) }
        headers.append(("MIME-Version", "1.0"))

        var output = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        let parts = [text.map { ("text/plain", $0) }, html.map { ("text/html", $0) }].compactMap { $0 }
        if parts.count == 2 {
            let boundary = "=_lm_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            output += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            output += "This is a multi-part message in MIME format.\r\n"
            for (type, body) in parts {
                output += "\r\n--\(boundary)\r\n" + Self.part(type: type, body: body)
            }
            output += "\r\n--\(boundary)--\r\n"
        } else {
            let (type, body) = parts.first ?? ("text/plain", "")
            output += Self.part(type: type, body: body)
        }
        return Array(output.utf8)
    }

    /// The message ready for `DATA`.
    public func messageData() throws(SMTPError) -> SMTPMessageData { try SMTPMessageData(rendered()) }

    /// A part's headers, a blank line and its encoded body.
    private static func part(type: String, body: String) -> String {
        let encoding = MIMEEncoding.transferEncoding(for: body)
        return "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n" + MIMEEncoding.encodeBody(body, as: encoding)
    }

    private static func addressList(_ addresses: [MailAddress], nameLength: Int) -> String {
        MIMEEncoding.fold(words: addresses.map(\.headerText), separator: ", ", firstLineUsed: nameLength + 2)
    }

    private static func makeMessageID(domain: String?) -> String {
        UUID().uuidString.lowercased() + "@" + (domain ?? "localhost")
    }

    /// `Mon, 07 Dec 2026 18:41:24 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        // Civil date from the day count (proleptic Gregorian, UTC): no Calendar, which is slow per message.
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let dayCount = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - dayCount * 86_400
        let shifted = dayCount + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((dayCount % 7) + 11) % 7  // 1970-01-01 was a Thursday: Sunday is 0.
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        return "\(days[weekday]), \(two(day)) \(months[month - 1]) \(year) \(time) +0000"
    }
}

extension SMTPConnection {
    /// Renders `message`, signs it with `signer` when one is given, and sends it to its envelope (every `To`, `Cc`
    /// and `Bcc` recipient).
    public func send(_ message: MailMessage, signedWith signer: DKIMSigner? = nil) async throws(SMTPError) -> SMTPDeliveryReport {
        try await send(message.messageData(signedWith: signer), envelope: message.envelope)
    }
}

extension SMTPClient {
    /// Renders `message`, signs it with `signer` when one is given, and sends it to its envelope (every `To`, `Cc`
    /// and `Bcc` recipient) on a pooled connection.
    public func send(_ message: MailMessage, signedWith signer: DKIMSigner? = nil) async throws(SMTPError) -> SMTPDeliveryReport {
        try await send(message.messageData(signedWith: signer), envelope: message.envelope)
    }
}

extension MailMessage {
    /// The message rendered, signed with `signer` when one is given, and ready for `DATA`.
    func messageData(signedWith signer: DKIMSigner?) throws(SMTPError) -> SMTPMessageData {
        guard let signer else { return try messageData() }
        return try messageData(signedWith: signer)
    }
}
