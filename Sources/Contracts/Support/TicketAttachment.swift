import Foundation

/// A file attached to a ticket's message: a photo of the router, a PDF of a bank receipt.
public struct TicketAttachment: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// The file name, made safe (no paths, no control characters) and ending in its type's extension.
    public var fileName: String
    /// The type it is served as, decided from its content (never from the name or the sender's claim).
    public var contentType: String
    /// Its size in bytes.
    public var size: Int
    /// Whether it may be shown in the page (raster images) rather than downloaded.
    public var isInline: Bool

    /// Creates the attachment.
    public init(id: String, fileName: String, contentType: String, size: Int, isInline: Bool) {
        self.id = id
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.isInline = isInline
    }
}

/// A file sent to a ticket: it arrives as a message of its own.
public struct AttachmentUpload: Codable, Sendable, Hashable {
    /// The name the sender gave it, if any.
    public var fileName: String?
    /// Its bytes.
    public var data: Data
    /// Attached to an internal note (operators only).
    public var isInternal: Bool

    /// Creates the upload.
    public init(fileName: String?, data: Data, isInternal: Bool = false) {
        self.fileName = fileName
        self.data = data
        self.isInternal = isInternal
    }
}

/// A stored attachment with its bytes, to serve.
public struct AttachmentContent: Codable, Sendable, Hashable {
    /// What it is.
    public var attachment: TicketAttachment
    /// Its bytes.
    public var data: Data

    /// Creates the content.
    public init(attachment: TicketAttachment, data: Data) {
        self.attachment = attachment
        self.data = data
    }
}
