import Foundation
import Kernel
import Testing

/// W3C Trace Context level 1's `traceparent`: what is read, what is refused, what is written.
@Suite struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func readsAndWritesTheStandardsExample() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        #expect(parent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.parentIDText == "00f067aa0ba902b7")
        #expect(parent.isSampled)
        #expect(parent.header == Self.valid)
        #expect(TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.isSampled == false)
    }

    @Test(arguments: [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 with more
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // fields misplaced
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",  // flags not hex
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a later version without the dash after flags
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // leading space shifts every field
    ])
    func refusesInvalidHeaders(header: String) {
        #expect(TraceParent(header: header) == nil)
    }

    @Test func readsALaterVersionAsVersion00() throws {
        let later = try #require(TraceParent(header: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds"))
        #expect(later.header == Self.valid)
        let exact = try #require(TraceParent(header: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03"))
        // Level 1 knows only the sampled flag; others are not passed on.
        #expect(exact.header == Self.valid)
    }

    @Test func generatedParentsAreValidAndDistinct() throws {
        var traces = Set<String>()
        var parents = Set<String>()
        for _ in 0..<1000 {
            let generated = TraceParent.generate()
            #expect(generated.header.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-00/) != nil)
            #expect(TraceParent(header: generated.header) == generated)
            traces.insert(generated.traceID)
            parents.insert(generated.parentIDText)
        }
        #expect(traces.count == 1000 && parents.count == 1000)
    }

    @Test func aChildKeepsTheTraceAndFlagsUnderANewParent() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        let children = (0..<100).map { _ in parent.child() }
        #expect(children.allSatisfy { $0.traceID == parent.traceID && $0.isSampled })
        #expect(Set(children.map(\.parentIDText) + [parent.parentIDText]).count == 101)
    }

    @Test func codesAsItsHeader() throws {
        let context = TraceContext(requestID: "req-1", traceparent: try #require(TraceParent(header: Self.valid)))
        let json = try JSONEncoder().encode(context)
        #expect(String(decoding: json, as: UTF8.self).contains(Self.valid))
        #expect(try JSONDecoder().decode(TraceContext.self, from: json) == context)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TraceContext.self, from: Data(#"{"requestID":"r","traceparent":"nope"}"#.utf8))
        }
    }
}
