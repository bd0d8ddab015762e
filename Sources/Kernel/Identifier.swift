import Foundation

/// A typed identifier: the phantom `Tag` keeps a user id from being passed where a session id is expected.
public struct Identifier<Tag>: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The identifier's canonical text form (a lowercase UUID for generated ids).
    public let rawValue: String

    /// Wraps an existing identifier text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A fresh random identifier.
    public static func generate() -> Self { Self(UUID().uuidString.lowercased()) }

    /// Parses a UUID given by a caller; `nil` when the text is not one.
    public init?(uuid text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid.uuidString.lowercased()
    }

    /// The text form.
    public var description: String { rawValue }

    /// Decodes from a single string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Orders by text.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
