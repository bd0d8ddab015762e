import Blobs
import Testing

@Suite("AttachmentFileName")
struct AttachmentFileNameTests {
    @Test func keepsACyrillicNameWithItsExtension() {
        #expect(AttachmentFileName.sanitized("Квитанция об оплате №42.pdf", as: .pdf) == "Квитанция об оплате №42.pdf")
        #expect(AttachmentFileName.sanitized("Роутер.JPEG", as: .jpeg) == "Роутер.JPEG")
    }

    @Test(arguments: [
        ("../../etc/passwd", AttachmentType.text, "passwd.txt"),
        ("..\\..\\Windows\\win.ini", .text, "win.ini.txt"),
        ("C:\\Users\\Иван\\Desktop\\фото.jpg", .jpeg, "фото.jpg"),
        ("/var/www/", .png, "attachment.png"),
        ("uploads/..", .png, "attachment.png"),
    ])
    func keepsOnlyTheLastPathComponent(name: String, type: AttachmentType, expected: String) {
        let sanitized = AttachmentFileName.sanitized(name, as: type)
        #expect(sanitized == expected)
        #expect(!sanitized.contains("/") && !sanitized.contains("\\"))
    }

    @Test func removesControlAndInvisibleFormattingCharacters() {
        #expect(AttachmentFileName.sanitized("photo\u{0}\r\n\u{7}.jpg", as: .jpeg) == "photo.jpg")
        // A right-to-left override would show "invoice‮gpj.exe" as "invoiceexe.jpg".
        #expect(AttachmentFileName.sanitized("invoice\u{202E}gpj.exe", as: .pdf) == "invoicegpj.exe.pdf")
        #expect(AttachmentFileName.sanitized("a\u{200B}b.png", as: .png) == "ab.png")
        let cleaned = AttachmentFileName.sanitized("line\u{2028}break\u{85}.txt", as: .text)
        #expect(cleaned.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control && $0.value >= 0x20 })
    }

    @Test func replacesCharactersWindowsRefusesAndTidiesSpacesAndDots() {
        #expect(AttachmentFileName.sanitized("a:b*c?\"d\"<e>|f.txt", as: .text) == "a_b_c__d__e__f.txt")
        #expect(AttachmentFileName.sanitized("  скан \t  паспорта  .pdf", as: .pdf) == "скан паспорта.pdf")
        #expect(AttachmentFileName.sanitized("...hidden", as: .text) == "hidden.txt")
    }

    @Test func endsInAnExtensionOfTheSniffedType() {
        #expect(AttachmentFileName.sanitized("router.png", as: .jpeg) == "router.png.jpg")
        #expect(AttachmentFileName.sanitized("setup.exe", as: .text) == "setup.exe.txt")
        #expect(AttachmentFileName.sanitized("report.csv", as: .text) == "report.csv.txt")
        #expect(AttachmentFileName.sanitized("IMG_0042", as: .heic) == "IMG_0042.heic")
        #expect(AttachmentFileName.sanitized("syslog.log", as: .text) == "syslog.log")
    }

    @Test func namesAFileWithoutANameGenerically() {
        #expect(AttachmentFileName.sanitized(nil, as: .png) == "attachment.png")
        #expect(AttachmentFileName.sanitized("", as: .pdf) == "attachment.pdf")
        #expect(AttachmentFileName.sanitized(" . .. ", as: .gif) == "attachment.gif")
        #expect(AttachmentFileName.sanitized(".pdf", as: .pdf) == "pdf.pdf")
    }

    @Test func limitsTheLengthInCharactersAndBytesKeepingTheExtension() {
        let longLatin = AttachmentFileName.sanitized(String(repeating: "a", count: 300) + ".png", as: .png)
        #expect(longLatin.count == AttachmentFileName.maximumLength)
        #expect(longLatin.hasSuffix("a.png"))
        let longCyrillic = AttachmentFileName.sanitized(String(repeating: "я", count: 300) + ".pdf", as: .pdf)
        #expect(longCyrillic.utf8.count <= AttachmentFileName.maximumBytes)
        #expect(longCyrillic.hasSuffix("я.pdf"))
        let emoji = AttachmentFileName.sanitized(String(repeating: "👨‍👩‍👧", count: 60), as: .jpeg)
        #expect(emoji.utf8.count <= AttachmentFileName.maximumBytes)
        #expect(emoji.hasSuffix("👨‍👩‍👧.jpg"))
    }

    @Test func isStableWhenAppliedTwice() {
        for name in ["Квитанция.pdf", "../x.exe", "a:b.txt", String(repeating: "я", count: 300)] {
            let once = AttachmentFileName.sanitized(name, as: .pdf)
            #expect(AttachmentFileName.sanitized(once, as: .pdf) == once)
        }
    }
}
