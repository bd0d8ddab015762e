/// The response headers to serve a stored attachment with, so that a browser neither runs it nor guesses its type.
///
/// The type comes from ``ContentSniffer`` only; the name from ``AttachmentFileName``.
public enum AttachmentHeaders {
    /// The headers, in order: `Content-Type` of `type`, `X-Content-Type-Options: nosniff`, `Content-Disposition`
    /// (inline for raster images, a download otherwise, named after the customer's `fileName` cleaned),
    /// `Content-Security-Policy: sandbox; default-src 'none'` and `Cache-Control: private`.
    public static func headers(for type: AttachmentType, fileName: String?) -> [(name: String, value: String)] {
        [
            ("Content-Type", type.mimeType),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Disposition", contentDisposition(for: type, fileName: fileName)),
            ("Content-Security-Policy", "sandbox; default-src 'none'"),
            ("Cache-Control", "private"),
        ]
    }

    /// `inline` or `attachment` with the cleaned name twice (RFC 6266): an ASCII `filename` for old clients and the
    /// exact UTF-8 name as an RFC 5987 `filename*`.
    public static func contentDisposition(for type: AttachmentType, fileName: String?) -> String {
        let name = AttachmentFileName.sanitized(fileName, as: type)
        let disposition = type.isInline ? "inline" : "attachment"
        return "\(disposition); filename=\"\(asciiFallback(name, type: type))\"; filename*=UTF-8''\(percentEncoded(name))"
    }

    /// The name itself when it is plain ASCII a quoted string holds as is; otherwise a generic name of its type.
    private static func asciiFallback(_ name: String, type: AttachmentType) -> String {
        let plain = name.unicodeScalars.allSatisfy { scalar in
            scalar.value >= 0x20 && scalar.value < 0x7F && !"\"\\%".unicodeScalars.contains(scalar)
        }
        return plain ? name : AttachmentFileName.fallbackStem + "." + type.fileExtension
    }

    /// RFC 5987's `value-chars`: `attr-char`s as they are, every other UTF-8 byte as `%XX`.
    private static func percentEncoded(_ name: String) -> String {
        let attributeCharacters = Set("!#$&+-.^_`|~".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in name.utf8 {
            let isAlphanumeric =
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            if isAlphanumeric || attributeCharacters.contains(byte) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
