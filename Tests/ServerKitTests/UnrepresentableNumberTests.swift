import Contracts
import Hummingbird
import NIOCore
import ServerKit
import Testing

/// `Request.decodeJSON` names the integer field that got a number it cannot hold, whatever else the body holds.
@Suite("Unrepresentable numbers")
struct UnrepresentableNumberTests {
    struct Reading: Decodable {
        var ratio: Double
        var counts: [Int]
        var nested: Nested?
    }

    struct Nested: Decodable {
        var level: Int8
        var share: Double
    }

    private func problem(_ body: String) -> Problem? {
        do {
            _ = try Request.decodeJSON(Reading.self, from: ByteBuffer(string: body))
            return nil
        } catch {
            return error as? Problem
        }
    }

    @Test func anIntegerInAnArrayIsNamedPastAFractionalDouble() {
        let problem = problem(#"{"ratio": 0.25, "counts": [1, 2, 3.5]}"#)
        #expect(problem?.code == "invalid-type")
        #expect(problem?.field == "counts[2]")
    }

    @Test func aNestedIntegerIsNamedBesideFractionalDoubles() {
        let problem = problem(#"{"ratio": 1e300, "counts": [], "nested": {"share": 0.5, "level": 2.5}}"#)
        #expect(problem?.field == "nested.level")
    }

    @Test func fractionalDoublesAloneDecode() {
        #expect(problem(#"{"ratio": 0.25, "counts": [1], "nested": {"share": 1.5e-3, "level": 7}}"#) == nil)
    }

    @Test func aMissingFieldIsStillNamed() {
        let problem = problem(#"{"ratio": 0.25, "counts": [1.5], "nested": {"share": 0.5}}"#)
        #expect(problem?.field != nil)
        #expect(problem?.code != "malformed-json")
    }

    @Test func brokenJSONStaysMalformed() {
        let problem = problem(#"{"ratio": 0.25, "counts": [1.5"#)
        #expect(problem?.code == "malformed-json")
        #expect(problem?.field == nil)
    }
}
