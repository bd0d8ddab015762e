import Contracts
import Foundation
import Kernel
import Storage

extension CustomersService {
    /// The customer's timeline, newest first, a page at a time.
    public func timeline(customerID: String, page: PageRequest) async throws -> Page<TimelineEntry> {
        let after = try PageCursor<TimelinePosition>.parse(page.cursor)
        guard try await CustomerStore.find(id: customerID, in: database) != nil else { throw CustomerError.notFound }
        let entries = try await TimelineStore.page(customerID: customerID, after: after, limit: page.limit + 1, in: database)
        let shown = Array(entries.prefix(page.limit))
        let next =
            entries.count > page.limit
            ? shown.last.map { PageCursor(TimelinePosition(t: $0.occurredAt.microsecondsSince1970, i: $0.id)).text } : nil
        return Page(items: shown, nextCursor: next)
    }

    /// Adds an operator's note to the timeline.
    public func addNote(customerID: String, text: String, by operatorID: String) async throws -> TimelineEntry {
        let text = try CustomerRules.note(text)
        let entry = TimelineEntry(
            id: Identifier<TimelineEntry>.generate().rawValue, customerId: customerID, kind: .note, source: "note", summary: text,
            authorId: operatorID, occurredAt: clock.now())
        try await database.transaction { tx in
            guard try await CustomerStore.find(id: customerID, in: tx) != nil else { throw CustomerError.notFound }
            try await TimelineStore.insert(entry, in: tx)
        }
        return entry
    }
}
