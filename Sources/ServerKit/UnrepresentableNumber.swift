import Contracts
import Foundation

/// Finds the field behind Foundation's answer to a number an integer field cannot hold.
///
/// `JSONDecoder` reports `1.5` or `1e20` given to an `Int64` as `dataCorrupted` with an empty coding path ("not valid
/// JSON"), exactly as it reports broken JSON. When the body is valid JSON, the culprit is one of its numbers that no
/// `Int64` holds: each such number is replaced by a string and the body decoded again, so the decoder names the
/// integer field that meets one; a floating-point field that meets one gets its number back and the search goes on.
enum UnrepresentableNumber {
    /// The most numbers looked at: the search decodes the body again once per floating-point field among them.
    static let candidateLimit = 64

    /// The type mismatch at the integer field that got an unrepresentable number, when `error` is that case in
    /// disguise and the field can be found; otherwise `error`.
    static func diagnose<T: Decodable>(_ error: DecodingError, decoding type: T.Type, from data: Data, with decoder: JSONDecoder)
        -> DecodingError
    {
        guard case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
            let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return error }
        var candidates: [String] = []
        collect(root, path: [], into: &candidates)
        var replaced = Set(candidates)
        for _ in 0...candidates.count {
            guard
                let substituted = try? JSONSerialization.data(
                    withJSONObject: substitute(root, path: [], replacing: replaced), options: [.fragmentsAllowed])
            else { return error }
            do {
                _ = try decoder.decode(type, from: substituted)
                return error
            } catch DecodingError.typeMismatch(let expected, let mismatch) where replaced.contains(Problem.fieldPath(mismatch.codingPath)) {
                if expected is any BinaryInteger.Type { return .typeMismatch(expected, mismatch) }
                replaced.remove(Problem.fieldPath(mismatch.codingPath))
            } catch let other as DecodingError {
                // A mistake elsewhere in the body, reached now that the numbers no longer stop the decoder first.
                return Problem.fieldPath(other.codingPath).isEmpty ? error : other
            } catch _ {
                return error
            }
        }
        return error
    }

    /// The paths of the numbers no `Int64` holds, in document order, at most ``candidateLimit``.
    private static func collect(_ value: Any, path: [PathKey], into paths: inout [String]) {
        guard paths.count < candidateLimit else { return }
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() { collect(object[key]!, path: path + [.key(key)], into: &paths) }
        case let array as [Any]:
            for (index, element) in array.enumerated() { collect(element, path: path + [.index(index)], into: &paths) }
        case let number as NSNumber where !(value is Bool) && Int64(exactly: number) == nil:
            paths.append(PathKey.render(path))
        default:
            break
        }
    }

    /// `value` with the numbers at `paths` turned into strings.
    private static func substitute(_ value: Any, path: [PathKey], replacing paths: Set<String>) -> Any {
        switch value {
        case let object as [String: Any]:
            var copy: [String: Any] = [:]
            for (key, element) in object { copy[key] = substitute(element, path: path + [.key(key)], replacing: paths) }
            return copy
        case let array as [Any]:
            return array.enumerated().map { substitute($1, path: path + [.index($0)], replacing: paths) }
        case is NSNumber where paths.contains(PathKey.render(path)):
            return "not an integer"
        default:
            return value
        }
    }

    /// One step of a path into a JSON document.
    private enum PathKey {
        case key(String)
        case index(Int)

        /// The path as ``Problem/fieldPath(_:)`` writes it: `lines[2].amount`.
        static func render(_ path: [PathKey]) -> String {
            var text = ""
            for step in path {
                switch step {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }
    }
}

extension DecodingError {
    /// The coding path the error carries.
    fileprivate var codingPath: [any CodingKey] {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context.codingPath
        case .keyNotFound(let key, let context): context.codingPath + [key]
        @unknown default: []
        }
    }
}
