import Crypto
import Foundation
import Kernel

/// One value of a T-Bank JSON object's root, kept as the text the `Token` signature concatenates.
enum TBankValue: Decodable, Sendable, Equatable {
    /// A string, a whole number or a boolean, as the signature writes it.
    case scalar(String)
    /// An object or an array: not signed.
    case nested
    /// `null`: not signed.
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .scalar(value ? "true" : "false")
        } else if let value = try? container.decode(Int64.self) {
            self = .scalar(String(value))
        } else if let value = try? container.decode(String.self) {
            self = .scalar(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .scalar("\(value)")
        } else {
            self = .nested
        }
    }

    /// The text, for a scalar.
    var text: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }
}

/// T-Bank's request and notification signature: SHA-256 (hex) over the root's scalar values, with `Password` added,
/// concatenated in the order of their keys.
enum TBankToken {
    /// The token of `fields` (the root's scalars by key, `Token` itself left out) signed with `password`.
    static func make(_ fields: [String: String], password: String) -> String {
        var signed = fields
        signed["Token"] = nil
        signed["Password"] = password
        let text = signed.keys.sorted().map { signed[$0]! }.joined()
        return Hex.lowercase(SHA256.hash(data: Data(text.utf8)))
    }

    /// Whether `token` is the token of `fields`, compared in constant time.
    static func verify(_ token: String, fields: [String: String], password: String) -> Bool {
        ConstantTime.equals(make(fields, password: password), token.lowercased())
    }
}
