import Crypto
import Foundation

/// A JSON value as the stand-in reads T-Bank requests and writes its answers.
indirect enum TBankStandinJSON: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Decimal)
    case string(String)
    case object([String: TBankStandinJSON])
    case array([TBankStandinJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: TBankStandinJSON].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([TBankStandinJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        }
    }

    /// The text T-Bank's signature concatenates for a root value; `nil` for objects, arrays and nulls.
    var tokenText: String? {
        switch self {
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): "\(value)"
        case .string(let value): value
        case .null, .object, .array: nil
        }
    }

    /// The string, if it is one.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The whole number, if it is one (T-Bank's amounts are kopecks).
    var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value == value.rounded(): Int64(exactly: NSDecimalNumber(decimal: value).int64Value)
        default: nil
        }
    }

    /// The number, whole or not.
    var decimal: Decimal? {
        switch self {
        case .integer(let value): Decimal(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The object's fields, if it is one.
    var object: [String: TBankStandinJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

extension Decimal {
    fileprivate func rounded() -> Decimal {
        var copy = self
        var result = Decimal()
        NSDecimalRound(&result, &copy, 0, .plain)
        return result
    }
}

/// T-Bank's signature as its documentation describes it: the root's scalar values and the password, ordered by key,
/// concatenated, hashed with SHA-256, written in lowercase hex.
enum TBankStandinSignature {
    /// The token of `fields` (its `Token` left out).
    static func token(of fields: [String: TBankStandinJSON], password: String) -> String {
        var pairs: [String: String] = ["Password": password]
        for (key, value) in fields where key != "Token" {
            if let text = value.tokenText { pairs[key] = text }
        }
        let text = pairs.keys.sorted().map { pairs[$0]! }.joined()
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
