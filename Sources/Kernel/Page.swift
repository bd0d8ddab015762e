/// One page of a longer list, with the cursor that fetches the next one.
public struct Page<Item: Sendable>: Sendable {
    /// The items on this page, in the list's order.
    public var items: [Item]
    /// Opaque cursor for the next page; `nil` on the last page.
    public var nextCursor: String?

    /// Creates a page.
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page: Codable where Item: Codable {}
extension Page: Equatable where Item: Equatable {}
extension Page: Hashable where Item: Hashable {}

/// Which page a caller wants: after an opaque cursor, at most `limit` items.
public struct PageRequest: Sendable, Hashable {
    /// The largest page anyone may ask for.
    public static let maximumLimit = 200
    /// The page size used when the caller names none.
    public static let defaultLimit = 50

    /// The cursor from the previous page, or `nil` for the first.
    public var cursor: String?
    /// How many items at most; clamped to `1...maximumLimit`.
    public var limit: Int

    /// Creates a page request, clamping the limit.
    public init(cursor: String? = nil, limit: Int = PageRequest.defaultLimit) {
        self.cursor = cursor
        self.limit = min(max(limit, 1), PageRequest.maximumLimit)
    }
}

extension PageRequest: Codable {
    private enum CodingKeys: String, CodingKey { case cursor, limit }

    /// Decodes a request, clamping its limit as ``init(cursor:limit:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cursor: try container.decodeIfPresent(String.self, forKey: .cursor), limit: try container.decode(Int.self, forKey: .limit))
    }
}
