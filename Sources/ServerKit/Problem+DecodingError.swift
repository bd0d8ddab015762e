import Contracts
import HTTPTypes

extension Problem {
    /// The JSON path of a coding path: `address.city`, `lines[2].amount`.
    public static func fieldPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    /// 400 naming the field a request body got wrong; the value itself is never echoed.
    public init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            let field = Self.fieldPath(context.codingPath + [key])
            self.init(.badRequest, code: "missing-field", title: "A required field is missing", detail: "field \(field) is required", field: field)
        case .valueNotFound(_, let context):
            let field = Self.fieldPath(context.codingPath)
            self.init(.badRequest, code: "null-field", title: "A field is null", detail: "field \(field) must not be null", field: field)
        case .typeMismatch(let type, let context):
            let field = Self.fieldPath(context.codingPath)
            if field.isEmpty {
                self.init(
                    .badRequest, code: "malformed-json", title: "Malformed JSON",
                    detail: "the body must be a JSON \(Self.jsonKind(of: type))")
            } else {
                self.init(
                    .badRequest, code: "invalid-type", title: "A field has the wrong type",
                    detail: "field \(field) must be \(Self.jsonKind(of: type, article: true))", field: field)
            }
        case .dataCorrupted(let context):
            let field = Self.fieldPath(context.codingPath)
            if field.isEmpty {
                self.init(.badRequest, code: "malformed-json", title: "Malformed JSON", detail: "the body is not valid JSON")
            } else {
                self.init(
                    .badRequest, code: "invalid-value", title: "A field has an invalid value",
                    detail: "field \(field) has an unsupported value", field: field)
            }
        @unknown default:
            self.init(.badRequest, code: "malformed-json", title: "Malformed JSON", detail: "the body could not be read")
        }
    }

    /// How a Swift type looks in JSON, for messages.
    static func jsonKind(of type: Any.Type, article: Bool = false) -> String {
        let kind: String
        switch type {
        case is String.Type, is Substring.Type: kind = "string"
        case is Bool.Type: kind = "boolean"
        case is any BinaryInteger.Type: kind = "integer"
        case is any BinaryFloatingPoint.Type: kind = "number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("Set<") || name.hasPrefix("[") {
                kind = "array"
            } else if name.hasPrefix("Dictionary<") {
                kind = "object"
            } else {
                kind = "value of another type"
            }
        }
        guard article else { return kind }
        switch kind {
        case "integer", "array", "object": return "an \(kind)"
        case "value of another type": return "a value of another type"
        default: return "a \(kind)"
        }
    }
}
