import Foundation

/// A mailbox as it appears in a header: an address and, optionally, a display name (`Иван Петров <ivan@example.ru>`).
public struct MailAddress: Sendable, Hashable {
    /// The address (`local@domain`).
    public var address: String
    /// The display name, in any script; encoded as RFC 2047 words when it is not ASCII.
    public var name: String?

    /// Creates a mailbox.
    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// The domain part of the address (after the last `@`), or `nil` when there is none.
    public var domain: String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? nil : String(domain)
    }

    /// The mailbox as header text: the display name (quoted or encoded as needed) and the address in angle brackets.
    var headerText: String {
        guard let name = name.map(MIMEEncoding.singleLine), !name.isEmpty else { return address }
        let phrase = MIMEEncoding.phrase(name)
        // The address goes on a line of its own when it would push the phrase's last line past 78 characters
        // (counting room for the header's name on a first line).
        let lastLine = phrase.components(separatedBy: "\r\n").last ?? phrase
        let used = lastLine.count + (phrase.contains("\r\n") ? 0 : 12)
        return phrase + (used + address.count + 3 > 78 ? "\r\n <" : " <") + address + ">"
    }
}
