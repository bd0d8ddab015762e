import Contracts
import Foundation

/// How an operator's search text is looked up: which indexed keys it may be, each a prefix or an exact value.
///
/// Every branch is one index range scan; the service merges their hits in name order.
struct SearchPlan: Sendable, Hashable {
    /// One indexed key to look in.
    enum Branch: Sendable, Hashable {
        /// Customers whose name key starts with the text (family name first, as operators type it).
        case namePrefix(String)
        /// The customer with exactly this e-mail.
        case emailExact(String)
        /// Customers whose e-mail starts with the text.
        case emailPrefix(String)
        /// The customer with exactly this E.164 phone.
        case phoneExact(String)
        /// Customers whose E.164 phone starts with the text.
        case phonePrefix(String)
        /// Customers whose phone ends with these digits (given last digit first).
        case phoneSuffix(String)
        /// Contracts whose number key starts with the text.
        case contractPrefix(String)
        /// Contracts whose address key starts with the text.
        case addressPrefix(String)
    }

    /// Shortest search text.
    static let minimumLength = 2
    /// Fewest digits that look a phone up by its start or end.
    static let minimumPhoneDigits = 4

    let branches: [Branch]

    /// Reads the operator's text; throws ``CustomerError/invalidField(field:reason:)`` for `text` when it is too short.
    init(text: String) throws(CustomerError) {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard query.count >= Self.minimumLength, !SearchKey.text(query).isEmpty || query.contains("@") else {
            throw CustomerError.invalidField(field: "text", reason: "must hold at least \(Self.minimumLength) letters or digits")
        }
        if query.contains("@") {
            let key = EmailAddress.key(query)
            branches = [EmailAddress.isValid(query) ? .emailExact(key) : .emailPrefix(key)]
        } else if Self.isPhoneLike(query) {
            branches = Self.phoneBranches(query) + [.contractPrefix(SearchKey.contractNumber(query))]
        } else {
            branches = Self.textBranches(query)
        }
    }

    private static func isPhoneLike(_ query: String) -> Bool {
        let body = query.hasPrefix("+") ? query.dropFirst() : Substring(query)
        return body.allSatisfy { $0.isASCII && ($0.isNumber || " -().".contains($0)) } && body.contains(where: \.isNumber)
    }

    private static func phoneBranches(_ query: String) -> [Branch] {
        if let phone = try? PhoneNumber.normalize(query) { return [.phoneExact(phone)] }
        let digits = query.filter(\.isNumber)
        guard digits.count >= minimumPhoneDigits else { return [] }
        var branches: [Branch] = [.phoneSuffix(String(digits.reversed()))]
        if query.hasPrefix("+") {
            branches.append(.phonePrefix("+" + digits))
        } else if let first = digits.first {
            let national = first == "8" || first == "7" ? digits.dropFirst() : Substring(digits)
            if national.count >= minimumPhoneDigits - 1 { branches.append(.phonePrefix("+7" + national)) }
        }
        return branches
    }

    private static func textBranches(_ query: String) -> [Branch] {
        var branches: [Branch] = []
        let name = SearchKey.name(query)
        if !name.isEmpty { branches.append(.namePrefix(name)) }
        let address = SearchKey.addressQuery(query)
        if address.count >= minimumLength { branches.append(.addressPrefix(address)) }
        if query.contains(where: \.isNumber) { branches.append(.contractPrefix(SearchKey.contractNumber(query))) }
        let emailLike = query.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._+-".contains($0)) }
        if emailLike, query.count >= 3 { branches.append(.emailPrefix(EmailAddress.key(query))) }
        return branches
    }
}
