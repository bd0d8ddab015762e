import Blobs
import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("Attachments: checked from their content, kept through a blob store, hidden with internal notes")
struct AttachmentTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 7, count: 64))
    static let pdf = Data("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)

    @Test(arguments: DatabaseKind.available)
    func aCustomerAttachesAPhotoAndReadsItBack(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let me = TicketViewer.customer(userID: requester.userId)
            let ticket = try await h.open(by: requester)
            let updated = try await h.service.addAttachment(
                ticketID: ticket.summary.id, AttachmentUpload(fileName: "../../роутер.jpg", data: Self.png), viewer: me)
            let attachment = try #require(updated.messages.last?.attachments.first)
            #expect(attachment.contentType == "image/png")
            #expect(attachment.fileName == "роутер.jpg.png")
            #expect(attachment.isInline)
            let content = try await h.service.attachment(id: attachment.id, ticketID: ticket.summary.id, viewer: me)
            #expect(content.data == Self.png)
            #expect(try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x")).messages.last?.attachments == [attachment])
            await #expect(throws: SupportError.notFound) {
                try await h.service.attachment(id: attachment.id, ticketID: ticket.summary.id, viewer: .customer(userID: "someone-else"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func filesAreRefusedByTheirContentSizeAndCount(kind: DatabaseKind) async throws {
        try await SupportHarness.with(
            kind,
            configure: {
                $0.maximumAttachmentsPerTicket = 2; $0.maximumAttachmentBytes = 1024
            }
        ) { h in
            let requester = SupportHarness.requester()
            let me = TicketViewer.customer(userID: requester.userId)
            let id = try await h.open(by: requester).summary.id
            let refusals: [(Data, String)] = [
                (Data("<html><script>alert(1)</script></html>".utf8), "unsupported-type"),
                (Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]), "unsupported-type"),
                (Data(), "empty"),
                (Data(repeating: 0x41, count: 2048), "too-large"),
            ]
            for (data, kind) in refusals {
                do {
                    _ = try await h.service.addAttachment(ticketID: id, AttachmentUpload(fileName: "photo.jpg", data: data), viewer: me)
                    Issue.record("accepted a file that is \(kind)")
                } catch SupportError.attachmentRefused(let refused, _) {
                    #expect(refused == kind)
                }
            }
            _ = try await h.service.addAttachment(ticketID: id, AttachmentUpload(fileName: "a.pdf", data: Self.pdf), viewer: me)
            _ = try await h.service.addAttachment(ticketID: id, AttachmentUpload(fileName: "b.pdf", data: Self.pdf), viewer: me)
            do {
                _ = try await h.service.addAttachment(ticketID: id, AttachmentUpload(fileName: "c.pdf", data: Self.pdf), viewer: me)
                Issue.record("accepted a third file")
            } catch SupportError.attachmentRefused(let refused, _) {
                #expect(refused == "too-many")
            }
            let stored = try await h.database.first("SELECT COUNT(*) AS n FROM blobs")?.int("n")
            #expect(stored == 2, "a refused file leaves no bytes behind")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anInternalAttachmentIsForOperatorsOnly(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let id = try await h.open(by: requester).summary.id
            let staff = try await h.service.addAttachment(
                ticketID: id, AttachmentUpload(fileName: "схема узла.pdf", data: Self.pdf, isInternal: true), viewer: .staff("anna"))
            let attachment = try #require(staff.messages.last?.attachments.first)
            let me = TicketViewer.customer(userID: requester.userId)
            #expect(try await h.service.ticket(id: id, viewer: me).messages.allSatisfy { $0.attachments.isEmpty })
            await #expect(throws: SupportError.notFound) { try await h.service.attachment(id: attachment.id, ticketID: id, viewer: me) }
            #expect(try await h.service.attachment(id: attachment.id, ticketID: id, viewer: .staff("boris")).data == Self.pdf)
            await #expect(throws: SupportError.invalidField(field: "isInternal", reason: "only operators write internal notes")) {
                try await h.service.addAttachment(ticketID: id, AttachmentUpload(fileName: "x.pdf", data: Self.pdf, isInternal: true), viewer: me)
            }
        }
    }

    @Test func aDirectoryStoreKeepsTheBytesOnDisk() async throws {
        try await SupportHarness.with(.sqlite) { h in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-attachments-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let service = SupportService(
                database: h.database, clock: h.clock, blobs: try DirectoryBlobStore(directory: directory), logger: TestDatabases.logger)
            let requester = SupportHarness.requester()
            let me = TicketViewer.customer(userID: requester.userId)
            let ticket = try await service.createTicket(NewTicket(subject: "Фото", text: "Вот роутер", category: .equipment), requester: requester)
            let updated = try await service.addAttachment(
                ticketID: ticket.summary.id, AttachmentUpload(fileName: "r.png", data: Self.png), viewer: me)
            let attachment = try #require(updated.messages.last?.attachments.first)
            #expect(try await service.attachment(id: attachment.id, ticketID: ticket.summary.id, viewer: me).data == Self.png)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM blobs")?.int("n") == 0)
            let files = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { !$0.hasSuffix("/") }
            #expect(files.filter { ($0 as NSString).lastPathComponent.count == BlobKey.length }.count == 1, "one file, named by its key")
        }
    }
}
