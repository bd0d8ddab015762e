import Foundation

/// Tells an attachment's type from its first bytes, never from its name or the client's `Content-Type`.
///
/// Accepted: JPEG, PNG, GIF, WebP, HEIC/HEIF, PDF, and plain UTF-8 text (see ``AttachmentType``). Everything else is
/// refused, deliberately including:
/// - HTML, SVG and XML: markup a browser may run scripts from;
/// - scripts (`#!`), executables (ELF, PE, Mach-O) and archives (zip, rar, 7z, gzip): nothing a support desk needs
///   and the usual carriers of malware;
/// - Office documents (zip- or OLE-based): they carry macros, and a customer can send a PDF or a screenshot instead.
///
/// Text is valid UTF-8 without NUL bytes; text whose first character (after a byte-order mark and white space) is
/// `<` or that starts with `#!` is refused as markup or a script. Other text (a script without a shebang, say) is
/// harmless as it is served: `text/plain`, `nosniff`, as a download.
public enum ContentSniffer {
    /// The type `data` is, or `nil` when it is none of the accepted types (or empty).
    public static func type(of data: Data) -> AttachmentType? {
        let bytes = [UInt8](data.prefix(64))
        guard !bytes.isEmpty else { return nil }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return .gif }
        if isWebP(bytes) { return .webp }
        if let type = heifType(bytes) { return type }
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if isPlainText(data) { return .text }
        return nil
    }

    /// `RIFF`, a size, `WEBP`, then a VP8 chunk (lossy, lossless or extended).
    private static func isWebP(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 16, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual("WEBP".utf8) else { return false }
        return ["VP8 ", "VP8L", "VP8X"].contains { bytes[12..<16].elementsEqual($0.utf8) }
    }

    /// An ISO base media file whose `ftyp` box names a HEIF image brand: HEIC for the HEVC-coded brands, HEIF for the
    /// generic image brands (`mif1`, `msf1`) unless the file also claims AVIF, which is not accepted.
    private static func heifType(_ bytes: [UInt8]) -> AttachmentType? {
        guard bytes.count >= 16, bytes[4..<8].elementsEqual("ftyp".utf8) else { return nil }
        let boxSize = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard boxSize >= 16, boxSize % 4 == 0 else { return nil }
        // The major brand, then the compatible brands after the minor version, as far as the box and the prefix go.
        var brands = [String(decoding: bytes[8..<12], as: UTF8.self)]
        var offset = 16
        while offset + 4 <= min(boxSize, bytes.count) {
            brands.append(String(decoding: bytes[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        let heic: Set = ["heic", "heix", "heim", "heis"]
        if brands.contains(where: heic.contains) { return .heic }
        if brands.contains("avif") || brands.contains("avis") { return nil }
        if brands[0] == "mif1" || brands[0] == "msf1" { return .heif }
        return nil
    }

    /// Valid UTF-8 without NUL, not starting like markup or a script.
    private static func isPlainText(_ data: Data) -> Bool {
        guard !data.contains(0), String(validating: data, as: UTF8.self) != nil else { return false }
        var start = data.startIndex
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        guard let first = data[start...].firstIndex(where: { !isWhiteSpace($0) }) else { return true }
        let rest = data[first...]
        return !rest.starts(with: [UInt8(ascii: "<")]) && !rest.starts(with: Array("#!".utf8))
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}
