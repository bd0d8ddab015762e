import Contracts
import Foundation
import Kernel

/// Checks of what customers and operators send; each refusal names its field.
enum TicketRules {
    /// The longest subject.
    static let maximumSubject = 200
    /// The longest message.
    static let maximumText = 10_000

    static func subject(_ value: String) throws(SupportError) -> String {
        let subject = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw .invalidField(field: "subject", reason: "must not be empty") }
        guard subject.count <= maximumSubject else { throw .invalidField(field: "subject", reason: "at most \(maximumSubject) characters") }
        guard !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(field: "subject", reason: "must be one line without control characters")
        }
        return subject
    }

    static func text(_ value: String, field: String) throws(SupportError) -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalidField(field: field, reason: "must not be empty") }
        guard text.count <= maximumText else { throw .invalidField(field: field, reason: "at most \(maximumText) characters") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        else { throw .invalidField(field: field, reason: "must not contain control characters") }
        return text
    }

    /// The words of a search: trimmed, 1 to 100 characters, or nil for no search.
    static func search(_ value: String?) throws(SupportError) -> String? {
        guard let value else { return nil }
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard text.count <= 100 else { throw .invalidField(field: "text", reason: "at most 100 characters") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(field: "text", reason: "must not contain control characters")
        }
        return text
    }

    static func about(_ value: TicketSubject?) throws(SupportError) -> TicketSubject? {
        guard let value else { return nil }
        let id = value.id.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .invalidField(field: "about.id", reason: "1 to 64 letters, digits, '-' or '_'")
        }
        return TicketSubject(kind: value.kind, id: id)
    }

    static func requester(_ value: TicketRequester) throws(SupportError) -> TicketRequester {
        var requester = value
        guard (1...64).contains(value.customerId.count) else { throw .invalidField(field: "requester.customerId", reason: "1 to 64 characters") }
        guard (1...64).contains(value.userId.count) else { throw .invalidField(field: "requester.userId", reason: "1 to 64 characters") }
        requester.name = String(value.name.trimmingCharacters(in: .whitespaces).prefix(200))
        requester.locale = value.locale == "en" ? "en" : "ru"
        requester.address = value.address.map { String($0.prefix(300)) }
        requester.tariffs = value.tariffs.map { Array($0.prefix(20)).map { String($0.prefix(100)) } }
        return requester
    }

    static func cursor<Position: Decodable>(_ text: String?, as type: Position.Type) throws(SupportError) -> Position? {
        guard let text else { return nil }
        guard let bytes = Base64URL.decode(Substring(text)), let position = try? JSONDecoder().decode(Position.self, from: Data(bytes)) else {
            throw .invalidField(field: "cursor", reason: "is not a cursor of this list")
        }
        return position
    }

    static func cursorText<Position: Encodable>(_ position: Position) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Base64URL.encode((try? encoder.encode(position)) ?? Data())
    }

    static func agentProfile(_ profile: AgentProfile, defaultMaximum: Int) throws(SupportError) -> AgentProfile {
        var profile = profile
        profile.name = profile.name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(profile.name.count) else { throw .invalidField(field: "name", reason: "1 to 100 characters") }
        guard !profile.skills.isEmpty else { throw .invalidField(field: "skills", reason: "names at least one category") }
        profile.skills = TicketCategory.allCases.filter(profile.skills.contains)
        guard !profile.languages.isEmpty, profile.languages.allSatisfy({ $0 == "ru" || $0 == "en" }) else {
            throw .invalidField(field: "languages", reason: "one or both of ru, en")
        }
        profile.languages = ["ru", "en"].filter(profile.languages.contains)
        let maximum = profile.maximumOpenTickets ?? defaultMaximum
        guard (1...500).contains(maximum) else { throw .invalidField(field: "maximumOpenTickets", reason: "1 to 500") }
        profile.maximumOpenTickets = maximum
        return profile
    }
}
