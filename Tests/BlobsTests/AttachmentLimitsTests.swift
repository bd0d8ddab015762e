import Blobs
import Foundation
import Testing

@Suite("AttachmentLimits")
struct AttachmentLimitsTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D] + Array("IHDR".utf8))

    @Test func defaultsAreTenMebibytesAndFiveFiles() {
        let limits = AttachmentLimits()
        #expect(limits.maximumFileSize == 10 * 1024 * 1024)
        #expect(limits.maximumCount == 5)
    }

    @Test func acceptsAFileUpToTheMaximumSizeAndTellsItsType() throws {
        let limits = AttachmentLimits(maximumFileSize: 64)
        var exactlyMaximum = Self.png
        exactlyMaximum.append(Data(repeating: 0x41, count: 64 - Self.png.count))
        #expect(try limits.accept(Self.png) == .png)
        #expect(try limits.accept(exactlyMaximum) == .png)
    }

    @Test func refusesAFileOverTheMaximumNamingTheSizeAndTheLimit() {
        let limits = AttachmentLimits()
        let size = 10 * 1024 * 1024 + 512 * 1024
        #expect(throws: AttachmentError.tooLarge(size: size, maximum: 10 * 1024 * 1024)) { try limits.check(size: size) }
        #expect(
            AttachmentError.tooLarge(size: size, maximum: 10 * 1024 * 1024).reason
                == "the file is 10.5 MiB, more than the 10 MiB allowed per file")
        var large = Self.png
        large.append(Data(count: 10 * 1024 * 1024))
        #expect(throws: AttachmentError.tooLarge(size: large.count, maximum: 10 * 1024 * 1024)) { try limits.accept(large) }
    }

    @Test func refusesMoreFilesThanAMessageCarries() throws {
        let limits = AttachmentLimits()
        try limits.check(count: 0)
        try limits.check(count: 5)
        #expect(throws: AttachmentError.tooMany(count: 6, maximum: 5)) { try limits.check(count: 6) }
        #expect(AttachmentError.tooMany(count: 6, maximum: 5).reason == "6 files attached, more than the 5 allowed per message")
    }

    @Test func refusesAnEmptyFileAndAnUnsupportedType() {
        let limits = AttachmentLimits()
        #expect(throws: AttachmentError.empty) { try limits.accept(Data()) }
        #expect(throws: AttachmentError.unsupportedType) { try limits.accept(Data("<html><script>alert(1)</script>".utf8)) }
        #expect(AttachmentError.unsupportedType.reason.contains("PDF"))
    }

    @Test func reasonsReadSizesInTheirUnits() {
        #expect(AttachmentError.tooLarge(size: 1536, maximum: 1024).reason == "the file is 1.5 KiB, more than the 1 KiB allowed per file")
        #expect(AttachmentError.tooLarge(size: 900, maximum: 1).reason == "the file is 900 bytes, more than the 1 byte allowed per file")
    }
}
