import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import ServerKit
import Testing

@Suite("JSON object writer")
struct JSONObjectWriterTests {
    static let awkward = [
        "plain", "", "quote \" and backslash \\", "slash / and </script>", "line\nbreak\rtab\tbell\u{07}nul\u{00}esc\u{1B}\u{1F}",
        "ünïcødé ✓ 😀", "\u{08}\u{0C}\u{7F}\u{2028}",
    ]

    /// The writer's bytes and `JSONEncoder`'s decode to the same JSON value.
    func sameJSON(_ profile: UserProfile, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fast = Data(profile.jsonBytes.readableBytesView)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = JSONDates.strategy
        let slow = try encoder.encode(profile)
        let fastObject = try #require(try JSONSerialization.jsonObject(with: fast) as? NSDictionary, sourceLocation: sourceLocation)
        let slowObject = try #require(try JSONSerialization.jsonObject(with: slow) as? NSDictionary, sourceLocation: sourceLocation)
        #expect(fastObject == slowObject, sourceLocation: sourceLocation)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            return formatter.date(from: text)!
        }
        #expect(try decoder.decode(UserProfile.self, from: fast) == decoder.decode(UserProfile.self, from: slow), sourceLocation: sourceLocation)
    }

    @Test(arguments: awkward)
    func userProfileDecodesAsJSONEncodersDoes(text: String) throws {
        for role in Role.allCases {
            try sameJSON(
                UserProfile(
                    id: "u-\(text)", email: text, role: role, isActive: text.count.isMultiple(of: 2), locale: text,
                    createdAt: Date(timeIntervalSince1970: 1_795_000_000.25)))
        }
        try sameJSON(UserProfile(id: "x", email: "a@b.c", role: .customer, isActive: true, locale: "ru", createdAt: Date(timeIntervalSince1970: 0)))
    }

    @Test func everyControlCharacterIsEscaped() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        var writer = JSONObjectWriter()
        writer.field("text", text)
        writer.field("missing", nil as String?)
        writer.field("count", 42)
        let bytes = Data(writer.finish().readableBytesView)
        #expect(!bytes.contains { $0 < 0x20 })
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(object["text"] as? String == text)
        #expect(object["count"] as? Int == 42)
        #expect(object["missing"] == nil)
    }

    @Test func nestedObjectsAndArraysAreWellFormed() throws {
        var writer = JSONObjectWriter()
        writer.field("first", "a")
        writer.object("empty") { _ in }
        writer.object("inner") { writer in
            writer.field("n", Int64(-7))
            writer.field("tags", ["x", "y\"z"])
        }
        writer.objects("rows", [1, 2, 3]) { writer, number in
            writer.field("n", number)
            if number == 2 { writer.object("deep") { $0.field("ok", true) } }
        }
        writer.objects("none", [Int]()) { _, _ in }
        writer.field("none2", [String]())
        writer.field("last", 1)
        let bytes = Data(writer.finish().readableBytesView)
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? NSDictionary)
        let expected: NSDictionary = [
            "first": "a", "empty": [String: Any](), "inner": ["n": -7, "tags": ["x", "y\"z"]],
            "rows": [["n": 1], ["n": 2, "deep": ["ok": true]], ["n": 3]], "none": [Any](), "none2": [Any](), "last": 1,
        ]
        #expect(object == expected)
    }

    @Test func numbersAndDaysAreWrittenAsTheirEncodableForms() throws {
        let numbers: [Int64] = [0, 7, -7, 10, 99, 100, -100, 1_234_567_890, .max, .min, .max - 1, .min + 1]
        let days = [LocalDate("2026-01-01")!, LocalDate("0999-12-31")!, LocalDate("2028-02-29")!]
        let periods = [BillingPeriod("2026-12")!, BillingPeriod("0042-01")!]
        var random = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_795_000_000.9996), Date(timeIntervalSince1970: -1.5)]
        for _ in 0..<500 { dates.append(Date(timeIntervalSince1970: Double.random(in: -2e9...5e9, using: &random))) }
        var writer = JSONObjectWriter()
        writer.objects("numbers", numbers) { $0.field("n", $1) }
        writer.objects("days", days) { $0.field("d", $1) }
        writer.objects("periods", periods) { $0.field("p", $1) }
        writer.objects("dates", dates) { $0.field("t", $1) }
        let bytes = Data(writer.finish().readableBytesView)
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let text = String(decoding: bytes, as: UTF8.self)
        for number in numbers { #expect(text.contains("{\"n\":\(number)}")) }
        #expect((object["days"] as? [[String: String]])?.map { $0["d"] } == days.map(\.description))
        #expect((object["periods"] as? [[String: String]])?.map { $0["p"] } == periods.map(\.description))
        #expect((object["dates"] as? [[String: String]])?.map { $0["t"] } == dates.map(JSONDates.format))
    }

    @Test func theResponseIsJSONWithItsLength() {
        let profile = UserProfile(id: "u1", email: "a@b.c", role: .admin, isActive: true, locale: "en", createdAt: Date())
        let response = profile.jsonResponse()
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        #expect(response.headers[.contentLength] == String(profile.jsonBytes.readableBytes))
    }

    @Test func theResponseCacheAnswersTheCurrentValueAndStaysBounded() {
        let cache = JSONResponseCache<UserProfile>(capacity: 3)
        var profile = UserProfile(id: "u1", email: "a@b.c", role: .customer, isActive: true, locale: "ru", createdAt: Date())
        func body(_ profile: UserProfile) -> Data { Data(cache.body(for: profile, key: profile.id).readableBytesView) }
        #expect(body(profile) == Data(profile.jsonBytes.readableBytesView))
        #expect(body(profile) == Data(profile.jsonBytes.readableBytesView))
        #expect(cache.response(for: profile, key: profile.id).body.contentLength == profile.jsonBytes.readableBytes)
        profile.role = .admin
        #expect(body(profile) == Data(profile.jsonBytes.readableBytesView))
        for index in 0..<10 { _ = body(UserProfile(id: "u\(index)", email: "e", role: .customer, isActive: true, locale: "en", createdAt: Date())) }
        #expect(cache.count <= 3)
    }
}
