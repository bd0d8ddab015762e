import BenchKit
import Foundation
import Testing

@Suite("Rewriting a section of docs/benchmarks.md")
struct BenchmarksDocumentTests {
    static let document = """
        # Benchmarks

        Intro.

        ## auth

        old auth

        ## billing

        old billing
        | a | b |

        ## events

        old events

        """

    @Test func aSectionInTheMiddleIsReplacedAndTheOthersKept() {
        let result = BenchmarksDocument.replacing(section: "billing", in: Self.document, with: "## billing\n\nnew billing\n\n\n")
        #expect(result == Self.document.replacingOccurrences(of: "old billing\n| a | b |\n", with: "new billing\n"))
    }

    @Test func theLastSectionIsReplaced() {
        let result = BenchmarksDocument.replacing(section: "events", in: Self.document, with: "## events\n\nnew events")
        #expect(result == Self.document.replacingOccurrences(of: "old events", with: "new events"))
    }

    @Test func aMissingSectionIsAppended() {
        let result = BenchmarksDocument.replacing(section: "seed", in: Self.document, with: "## seed\n\nseeded")
        #expect(result == Self.document + "\n## seed\n\nseeded\n")
    }

    /// `## billing` must not match `## billing page` or a deeper heading.
    @Test func onlyTheExactHeadingMatches() {
        let document = "# B\n\n## billing page\n\nkept\n\n### billing\n\nkept too\n"
        let result = BenchmarksDocument.replacing(section: "billing", in: document, with: "## billing\n\nnew")
        #expect(result == document + "\n## billing\n\nnew\n")
    }

    @Test func writingCreatesTheFileWhenMissing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("benchmarks-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BenchmarksDocument.write(section: "redis", "## redis\n\nfast", to: path)
        try BenchmarksDocument.write(section: "redis", "## redis\n\nfaster", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# Benchmarks\n\n## redis\n\nfaster\n")
    }
}
