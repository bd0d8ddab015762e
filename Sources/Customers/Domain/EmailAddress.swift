import Contracts
import Foundation

/// Contact e-mail addresses: checked for shape, compared in lower case.
public enum EmailAddress {
    /// The address trimmed of surrounding spaces, when it is a plausible one.
    ///
    /// Throws ``CustomerError/invalidField(field:reason:)`` naming `field` otherwise.
    public static func validate(_ text: String, field: String = "email") throws(CustomerError) -> String {
        let address = text.trimmingCharacters(in: .whitespaces)
        guard isValid(address) else { throw CustomerError.invalidField(field: field, reason: "is not a valid e-mail address") }
        return address
    }

    /// Whether `address` looks like `local@domain.tld`: an ASCII local part without stray dots and a domain of at least
    /// two labels (letters of any script, digits and inner hyphens).
    public static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2 else { return false }
        let (local, domain) = (parts[0], parts[1])
        guard (1...64).contains(local.utf8.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || localSymbols.contains($0)) })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// The form addresses are compared and searched in.
    static func key(_ address: String) -> String { address.lowercased() }

    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~.-")
}
