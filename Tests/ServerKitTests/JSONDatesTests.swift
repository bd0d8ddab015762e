import Foundation
import ServerKit
import Testing

@Suite("Response dates")
struct JSONDatesTests {
    @Test func formatsUTCWithOptionalMilliseconds() {
        #expect(JSONDates.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(JSONDates.format(Date(timeIntervalSince1970: 1_795_763_978)) == "2026-11-27T07:19:38Z")
        #expect(JSONDates.format(Date(timeIntervalSince1970: 1_795_763_978.25)) == "2026-11-27T07:19:38.250Z")
        #expect(JSONDates.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }

    @Test func agreesWithFoundationOverManyInstants() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Double(state % 4_102_444_800)
            let date = Date(timeIntervalSince1970: seconds)
            let parsed = try #require(try Date(JSONDates.format(date), strategy: .iso8601))
            #expect(parsed == date)
        }
    }
}
