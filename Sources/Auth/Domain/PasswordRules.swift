import Contracts
import Foundation

/// What a password and an e-mail must look like.
public enum CredentialRules {
    /// Shortest accepted password.
    public static let minimumPasswordLength = 10
    /// Longest accepted password (bcrypt reads 72 bytes; longer input is refused rather than silently cut).
    public static let maximumPasswordBytes = 72

    /// Throws ``AuthError/invalidField(field:reason:)`` naming `field` when the password breaks a rule.
    public static func validatePassword(_ password: String, field: String = "password") throws {
        if password.count < minimumPasswordLength {
            throw AuthError.invalidField(field: field, reason: "must be at least \(minimumPasswordLength) characters")
        }
        if password.utf8.count > maximumPasswordBytes {
            throw AuthError.invalidField(field: field, reason: "must be at most \(maximumPasswordBytes) bytes")
        }
        if Set(password).count < 4 {
            throw AuthError.invalidField(field: field, reason: "is too simple")
        }
    }

    /// The canonical form e-mails are compared in: trimmed, lowercased.
    public static func normalizeEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Throws when `email` is not a plausible address.
    public static func validateEmail(_ email: String) throws {
        let parts = normalizeEmail(email).split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(where: { $0.isWhitespace && $0 != " " }), !normalizeEmail(email).contains(" ")
        else { throw AuthError.invalidField(field: "email", reason: "is not a valid e-mail address") }
    }
}
