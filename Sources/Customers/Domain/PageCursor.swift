import Contracts
import Foundation
import Kernel

/// The opaque keyset cursors handed out with pages: the sort key of the last item, as base64url JSON.
///
/// A cursor only says where the previous page ended, so pages stay stable while rows are added elsewhere.
struct PageCursor<Position: Codable & Sendable>: Sendable {
    let position: Position

    init(_ position: Position) { self.position = position }

    /// The cursor's text.
    var text: String {
        let data = (try? Self.encoder.encode(position)) ?? Data()
        return Base64URL.encode(data)
    }

    /// Reads a caller's cursor; throws ``CustomerError/invalidField(field:reason:)`` for `cursor` when it is not one.
    static func parse(_ text: String?) throws(CustomerError) -> Position? {
        guard let text else { return nil }
        guard let bytes = Base64URL.decode(Substring(text)), let position = try? JSONDecoder().decode(Position.self, from: Data(bytes)) else {
            throw CustomerError.invalidField(field: "cursor", reason: "is not a cursor of this list")
        }
        return position
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

/// Where a search page ended: the last customer's name key and id.
struct SearchPosition: Codable, Sendable, Hashable {
    /// Name key.
    var k: String
    /// Customer id.
    var i: String
}

/// Where a timeline page ended: the last entry's time (µs) and id.
struct TimelinePosition: Codable, Sendable, Hashable {
    /// Occurred at, microseconds since 1970.
    var t: Int64
    /// Entry id.
    var i: String
}
