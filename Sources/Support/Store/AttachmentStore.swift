import Blobs
import Contracts
import Foundation
import Storage

/// One row of `support_attachments`.
struct AttachmentRecord: Sendable {
    var id: String
    var ticketID: String
    var messageID: String
    var blobKey: String
    var type: AttachmentType
    var fileName: String
    var size: Int

    var attachment: TicketAttachment {
        TicketAttachment(id: id, fileName: fileName, contentType: type.mimeType, size: size, isInline: type.isInline)
    }
}

/// SQL for `support_attachments`.
enum AttachmentStore {
    static func insert(_ a: AttachmentRecord, at time: Date, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO support_attachments (id, ticket_id, message_id, blob_key, type, file_name, size, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, a.id, a.ticketID, a.messageID, a.blobKey, a.type.rawValue, a.fileName, a.size, time)
    }

    static func count(ticketID: String, in db: any SQLExecutor) async throws -> Int {
        try await db.query("SELECT COUNT(*) AS n FROM support_attachments WHERE ticket_id = $1", ticketID)[0].int("n")
    }

    /// The attachments of a ticket's messages, by message id.
    static func byMessage(ticketID: String, in db: any SQLExecutor) async throws -> [String: [TicketAttachment]] {
        let rows = try await db.query(
            "SELECT \(columns) FROM support_attachments WHERE ticket_id = $1 ORDER BY created_at, id", ticketID)
        return Dictionary(grouping: try rows.compactMap(read), by: \.messageID).mapValues { $0.map(\.attachment) }
    }

    static func find(id: String, ticketID: String, in db: any SQLExecutor) async throws -> AttachmentRecord? {
        try await db.query("SELECT \(columns) FROM support_attachments WHERE id = $1 AND ticket_id = $2", id, ticketID).first.flatMap(read)
    }

    private static let columns = "id, ticket_id, message_id, blob_key, type, file_name, size"

    private static func read(_ row: SQLRow) throws -> AttachmentRecord? {
        guard let type = AttachmentType(rawValue: try row.string("type")) else { return nil }
        return AttachmentRecord(
            id: try row.string("id"), ticketID: try row.string("ticket_id"), messageID: try row.string("message_id"),
            blobKey: try row.string("blob_key"), type: type, fileName: try row.string("file_name"), size: try row.int("size"))
    }
}
