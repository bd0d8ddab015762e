import Foundation
import Kernel

/// One notification in a user's inbox.
public struct InboxItem: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// What it is about.
    public var category: NotificationCategory
    /// The event it tells of (`invoice.created`).
    public var kind: String
    /// Its title.
    public var title: String
    /// Its text.
    public var body: String
    /// Where in the personal account it leads (`/invoices/…`), if anywhere.
    public var link: String?
    /// When it arrived.
    public var createdAt: Date
    /// When the user read it.
    public var readAt: Date?

    /// Creates an item.
    public init(
        id: String, category: NotificationCategory, kind: String, title: String, body: String, link: String?, createdAt: Date,
        readAt: Date?
    ) {
        self.id = id
        self.category = category
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// A page of the inbox with the count of unread notifications.
public struct InboxPage: Codable, Sendable, Hashable {
    /// The notifications, newest first.
    public var items: [InboxItem]
    /// The cursor of the next page.
    public var nextCursor: String?
    /// How many are unread in the whole inbox.
    public var unread: Int

    /// Creates a page.
    public init(items: [InboxItem], nextCursor: String?, unread: Int) {
        self.items = items
        self.nextCursor = nextCursor
        self.unread = unread
    }
}
