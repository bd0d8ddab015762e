import Blobs
import Contracts
import Foundation
import Kernel
import Messaging
import Storage

extension SupportService {
    /// Attaches a file as a message of its own. The bytes are stored first, outside the transaction; should the
    /// message not be written, they are deleted again.
    public func addAttachment(ticketID: String, _ upload: AttachmentUpload, viewer: TicketViewer) async throws -> Ticket {
        if case .customer = viewer, upload.isInternal {
            throw SupportError.invalidField(field: "isInternal", reason: "only operators write internal notes")
        }
        let limits = AttachmentLimits(maximumFileSize: settings.maximumAttachmentBytes, maximumCount: settings.maximumAttachmentsPerTicket)
        let type: AttachmentType
        do {
            type = try limits.accept(upload.data)
        } catch {
            throw Self.refusal(error)
        }
        let fileName = AttachmentFileName.sanitized(upload.fileName, as: type)
        guard let existing = try await TicketStore.find(id: ticketID, in: database), Self.may(viewer, see: existing) else {
            throw SupportError.notFound
        }
        guard existing.status != .closed else { throw SupportError.invalidTransition(from: .closed, to: .open) }
        let key = try await blobs.put(upload.data)
        do {
            return try await addMessage(
                ticketID: ticketID, NewTicketMessage(text: fileName, isInternal: upload.isInternal), viewer: viewer,
                attaching: { message, tx in
                    guard try await AttachmentStore.count(ticketID: ticketID, in: tx) < limits.maximumCount else {
                        throw Self.refusal(.tooMany(count: limits.maximumCount + 1, maximum: limits.maximumCount))
                    }
                    let record = AttachmentRecord(
                        id: Identifier<TicketAttachment>.generate().rawValue, ticketID: ticketID, messageID: message.id, blobKey: key, type: type,
                        fileName: fileName, size: upload.data.count)
                    try await AttachmentStore.insert(record, at: message.createdAt, in: tx)
                    return [record.attachment]
                })
        } catch {
            try? await blobs.delete(key)
            throw error
        }
    }

    /// A stored attachment with its bytes, if `viewer` may see the ticket and, for customers, the message is not an
    /// internal note.
    public func attachment(id: String, ticketID: String, viewer: TicketViewer) async throws -> AttachmentContent {
        guard let ticket = try await TicketStore.find(id: ticketID, in: database), Self.may(viewer, see: ticket),
            let record = try await AttachmentStore.find(id: id, ticketID: ticketID, in: database)
        else { throw SupportError.notFound }
        if case .customer = viewer {
            let note = try await database.first("SELECT internal FROM support_messages WHERE id = $1", record.messageID)
            guard try note?.bool("internal") == false else { throw SupportError.notFound }
        }
        guard let data = try await blobs.get(record.blobKey) else { throw SupportError.notFound }
        return AttachmentContent(attachment: record.attachment, data: data)
    }

    /// Deletes attachment bytes in the database store that no message names an hour after they were stored: what a
    /// crash between storing a file and writing its message left behind. Returns how many.
    @discardableResult
    public func deleteOrphanedAttachments() async throws -> Int {
        guard blobs is DatabaseBlobStore else { return 0 }
        return try await database.query(
            """
            DELETE FROM blobs WHERE created_at < $1
                AND NOT EXISTS (SELECT 1 FROM support_attachments a WHERE a.blob_key = blobs.blob_key)
            RETURNING blob_key
            """, clock.now().addingTimeInterval(-3600)
        ).count
    }

    static func refusal(_ error: AttachmentError) -> SupportError {
        let kind =
            switch error {
            case .empty: "empty"
            case .tooLarge: "too-large"
            case .tooMany: "too-many"
            case .unsupportedType: "unsupported-type"
            }
        return .attachmentRefused(kind: kind, reason: error.reason)
    }
}
