/// A kind of file a ticket may carry, as ``ContentSniffer`` recognises it from the content: the only types an
/// attachment is stored and served as.
///
/// Raster images may be shown inline; PDF and text are always downloaded. Anything else (HTML, SVG, scripts,
/// executables, archives, Office documents) has no case here, so it can be neither stored nor served.
public enum AttachmentType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A JPEG photo.
    case jpeg
    /// A PNG image (a screenshot, typically).
    case png
    /// A GIF image.
    case gif
    /// A WebP image.
    case webp
    /// A HEIC photo (an iPhone's camera).
    case heic
    /// Another HEIF image.
    case heif
    /// A PDF document (a bank's receipt).
    case pdf
    /// Plain UTF-8 text (a router's log).
    case text

    /// The `Content-Type` to serve it with.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .heic: "image/heic"
        case .heif: "image/heif"
        case .pdf: "application/pdf"
        case .text: "text/plain; charset=utf-8"
        }
    }

    /// The file extension it is saved with, without the dot.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .gif: "gif"
        case .webp: "webp"
        case .heic: "heic"
        case .heif: "heif"
        case .pdf: "pdf"
        case .text: "txt"
        }
    }

    /// Extensions a customer's file of this type may already carry (lower case), kept when naming the download.
    public var knownExtensions: Set<String> {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .heic, .heif: ["heic", "heif", "hif"]
        case .text: ["txt", "log", "text"]
        default: [fileExtension]
        }
    }

    /// Whether a browser may show it in the page (`Content-Disposition: inline`): raster images only.
    public var isInline: Bool {
        switch self {
        case .jpeg, .png, .gif, .webp, .heic, .heif: true
        case .pdf, .text: false
        }
    }
}
