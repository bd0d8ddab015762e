import Foundation
import SMTP
import Testing

@Suite("The Date header")
struct MessageDateTests {
    private func dateHeader(_ date: Date) -> String? {
        let text = String(
            decoding: MailMessage(from: MailAddress("a@b.test"), to: [MailAddress("c@d.test")], subject: "s", text: "t", date: date).rendered(),
            as: UTF8.self)
        return text.split(separator: "\r\n").first { $0.hasPrefix("Date: ") }.map { String($0.dropFirst(6)) }
    }

    @Test func knownInstantsAreWrittenAsRFC5322Says() {
        #expect(dateHeader(Date(timeIntervalSince1970: 1_796_669_884)) == "Mon, 07 Dec 2026 18:58:04 +0000")
        #expect(dateHeader(Date(timeIntervalSince1970: 1_709_164_800)) == "Thu, 29 Feb 2024 00:00:00 +0000")
        #expect(dateHeader(Date(timeIntervalSince1970: 946_771_199)) == "Sat, 01 Jan 2000 23:59:59 +0000")
        #expect(dateHeader(Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }

    @Test func everyInstantAgreesWithTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)))
            #expect(dateHeader(date) == formatter.string(from: date), "\(date)")
        }
    }
}
