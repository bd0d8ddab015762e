import Blobs
import Foundation
import Testing

@Suite("AttachmentHeaders")
struct AttachmentHeadersTests {
    static func value(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        let matching = headers.filter { $0.name.lowercased() == name.lowercased() }
        return matching.count == 1 ? matching[0].value : nil
    }

    @Test func aPDFWithACyrillicNameIsADownloadNamedInUTF8() throws {
        let headers = AttachmentHeaders.headers(for: .pdf, fileName: "Квитанция.pdf")
        #expect(Self.value("Content-Type", in: headers) == "application/pdf")
        #expect(Self.value("X-Content-Type-Options", in: headers) == "nosniff")
        #expect(Self.value("Content-Security-Policy", in: headers) == "sandbox; default-src 'none'")
        #expect(Self.value("Cache-Control", in: headers) == "private")
        let disposition = try #require(Self.value("Content-Disposition", in: headers))
        #expect(
            disposition
                == "attachment; filename=\"attachment.pdf\"; filename*=UTF-8''%D0%9A%D0%B2%D0%B8%D1%82%D0%B0%D0%BD%D1%86%D0%B8%D1%8F.pdf")
        let encoded = try #require(disposition.components(separatedBy: "filename*=UTF-8''").last)
        #expect(encoded.removingPercentEncoding == "Квитанция.pdf")
    }

    @Test func onlyRasterImagesAreInline() {
        for type in AttachmentType.allCases {
            let disposition = AttachmentHeaders.contentDisposition(for: type, fileName: "file")
            #expect(disposition.hasPrefix(type.isInline ? "inline;" : "attachment;"))
        }
        #expect(AttachmentHeaders.contentDisposition(for: .png, fileName: "screen.png").hasPrefix("inline;"))
        #expect(AttachmentHeaders.contentDisposition(for: .text, fileName: "log.txt").hasPrefix("attachment;"))
    }

    @Test func theContentTypeIsTheSniffedOneWhateverTheName() {
        let headers = AttachmentHeaders.headers(for: .text, fileName: "page.html")
        #expect(Self.value("Content-Type", in: headers) == "text/plain; charset=utf-8")
        #expect(AttachmentHeaders.contentDisposition(for: .text, fileName: "page.html").contains("filename=\"page.html.txt\""))
    }

    @Test func anASCIINameIsQuotedAsItIsAndEncodedToo() {
        #expect(
            AttachmentHeaders.contentDisposition(for: .jpeg, fileName: "router photo.jpg")
                == "inline; filename=\"router photo.jpg\"; filename*=UTF-8''router%20photo.jpg")
        // Quotes become underscores; a percent sign (which some clients decode) leaves the quoted name generic.
        #expect(
            AttachmentHeaders.contentDisposition(for: .png, fileName: "say \"hi\".png")
                == "inline; filename=\"say _hi_.png\"; filename*=UTF-8''say%20_hi_.png")
        #expect(
            AttachmentHeaders.contentDisposition(for: .png, fileName: "100%.png")
                == "inline; filename=\"attachment.png\"; filename*=UTF-8''100%25.png")
    }

    @Test func aHostileNameCannotBreakTheHeader() {
        let headers = AttachmentHeaders.headers(for: .pdf, fileName: "x.pdf\r\nSet-Cookie: a=b\r\n\r\n<script>")
        for (name, value) in headers {
            #expect(!value.contains("\r") && !value.contains("\n"), "\(name)")
        }
        #expect(Self.value("Set-Cookie", in: headers) == nil)
        #expect(headers.count == 5)
    }
}
