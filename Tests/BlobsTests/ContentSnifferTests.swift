import Blobs
import Foundation
import Testing

@Suite("ContentSniffer")
struct ContentSnifferTests {
    /// The first bytes of a file of each accepted type, as real encoders write them.
    static let accepted: [(String, [UInt8], AttachmentType)] = [
        ("JPEG (JFIF)", hex("FF D8 FF E0 00 10") + a("JFIF") + hex("00 01 01 00 00 01"), .jpeg),
        ("JPEG (Exif)", hex("FF D8 FF E1 1C 45") + a("Exif") + hex("00 00 4D 4D"), .jpeg),
        ("PNG", hex("89 50 4E 47 0D 0A 1A 0A 00 00 00 0D") + a("IHDR") + hex("00 00 00 01 00 00 00 01 08 06"), .png),
        ("GIF87a", a("GIF87a") + hex("01 00 01 00 80 00 00"), .gif),
        ("GIF89a", a("GIF89a") + hex("01 00 01 00 80 00 00"), .gif),
        ("WebP lossy", a("RIFF") + hex("24 00 00 00") + a("WEBPVP8 ") + hex("18 00 00 00"), .webp),
        ("WebP lossless", a("RIFF") + hex("1A 00 00 00") + a("WEBPVP8L") + hex("0D 00 00 00"), .webp),
        ("HEIC (iPhone)", box(major: "heic", compatible: ["mif1", "heic"]), .heic),
        ("HEIC with mif1 first", box(major: "mif1", compatible: ["mif1", "heic", "miaf"]), .heic),
        ("HEIF", box(major: "mif1", compatible: ["mif1", "miaf"]), .heif),
        ("PDF", a("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n"), .pdf),
        ("text", Array("Роутер мигает красным с утра.\r\nМодель: Keenetic Giga\tKN-1011\n".utf8), .text),
        ("text with a byte-order mark", hex("EF BB BF") + Array("лог: link down\n".utf8), .text),
    ]

    /// Content that must never be stored, whatever the customer named it.
    static let refused: [(String, [UInt8])] = [
        ("HTML renamed photo.jpg", a("<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>")),
        ("HTML after white space and a byte-order mark", hex("EF BB BF") + a("\n  <html><script>alert(1)</script>")),
        ("SVG", a("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")),
        ("SVG with an XML declaration", a("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")),
        ("shell script", a("#!/bin/sh\nrm -rf /\n")),
        ("ELF executable", hex("7F 45 4C 46 02 01 01 00 00 00 00 00 00 00 00 00 02 00 3E 00")),
        ("PE executable", a("MZ") + hex("90 00 03 00 00 00 04 00 00 00 FF FF 00 00")),
        ("zip archive", hex("50 4B 03 04 14 00 00 00 08 00") + a("[Content_Types].xml")),
        ("legacy Office document", hex("D0 CF 11 E0 A1 B1 1A E1 00 00")),
        ("gzip", hex("1F 8B 08 00 00 00 00 00 00 03")),
        ("AVIF", box(major: "avif", compatible: ["avif", "mif1", "miaf"])),
        ("AVIF claiming mif1", box(major: "mif1", compatible: ["mif1", "avif"])),
        ("MP4 video", box(major: "isom", compatible: ["isom", "iso2", "mp41"])),
        ("WebP header without a VP8 chunk", a("RIFF") + hex("24 00 00 00") + a("WEBPJUNK") + hex("00 00 00 00")),
        ("invalid UTF-8", hex("48 69 20 C3 28 0A")),
        ("text with a NUL byte", a("line one\n") + hex("00") + a("line two\n")),
        ("no bytes", []),
    ]

    @Test(arguments: accepted.indices)
    func recognisesTheAcceptedTypesFromTheirFirstBytes(index: Int) {
        let (name, bytes, type) = Self.accepted[index]
        #expect(ContentSniffer.type(of: Data(bytes)) == type, "\(name)")
    }

    @Test(arguments: refused.indices)
    func refusesEverythingElse(index: Int) {
        let (name, bytes) = Self.refused[index]
        #expect(ContentSniffer.type(of: Data(bytes)) == nil, "\(name)")
    }

    @Test func onlyTheFirstBytesDecideABinaryType() {
        // A JPEG whose body happens to contain markup is still a JPEG, served as one.
        let jpeg = Self.hex("FF D8 FF DB") + Self.ascii("<html><script>alert(1)</script>")
        #expect(ContentSniffer.type(of: Data(jpeg)) == .jpeg)
        // A PDF signature anywhere but at the start is not a PDF.
        #expect(ContentSniffer.type(of: Data(Self.ascii("<html>%PDF-1.7"))) == nil)
    }

    @Test func eachTypeHasAMimeTypeAnExtensionAndADisposition() throws {
        let expected: [AttachmentType: (String, String, Bool)] = [
            .jpeg: ("image/jpeg", "jpg", true), .png: ("image/png", "png", true), .gif: ("image/gif", "gif", true),
            .webp: ("image/webp", "webp", true), .heic: ("image/heic", "heic", true), .heif: ("image/heif", "heif", true),
            .pdf: ("application/pdf", "pdf", false), .text: ("text/plain; charset=utf-8", "txt", false),
        ]
        for type in AttachmentType.allCases {
            let (mime, fileExtension, inline) = try #require(expected[type])
            #expect(type.mimeType == mime)
            #expect(type.fileExtension == fileExtension)
            #expect(type.isInline == inline)
        }
    }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Shorter for the tables: text as UTF-8 bytes.
    static func a(_ text: String) -> [UInt8] { ascii(text) }

    /// Bytes written as hex pairs separated by spaces: `"FF D8"` → `[0xFF, 0xD8]`.
    static func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    /// An ISO base media `ftyp` box with its brands.
    static func box(major: String, compatible: [String]) -> [UInt8] {
        let size = 16 + 4 * compatible.count
        let header: [UInt8] = [0, 0, 0, UInt8(size)] + ascii("ftyp") + ascii(major) + [0, 0, 0, 0]
        return header + compatible.flatMap(ascii) + hex("00 00 00 22") + ascii("meta")
    }
}
