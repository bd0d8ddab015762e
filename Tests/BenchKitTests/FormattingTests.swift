import BenchKit
import Testing

@Suite("Figures as docs/benchmarks.md shows them")
struct FormattingTests {
    @Test func ratiosWithTheirSpread() {
        let result = PairedResult(pairs: [Pair(platform: 57, baseline: 100), Pair(platform: 60, baseline: 100), Pair(platform: 55, baseline: 100)])
        #expect(Formatting.ratio(result) == "57.0% ± 2.5 (3 pairs)")
        #expect(Formatting.ratio(PairedResult(pairs: [Pair(platform: 35, baseline: 10)]), asFactor: true) == "3.50× ± 0.00 (1 pair)")
    }

    @Test func verdictsAndProblems() {
        #expect(Formatting.verdict(.met) == "yes")
        #expect(Formatting.verdict(.missed) == "no")
        #expect(Formatting.verdict(.unstable) == "unstable")
        #expect(Formatting.verdict(.met, problem: "3 errors") == "no (3 errors)")
    }

    @Test func summariesAndRows() {
        #expect(Formatting.summary(Summary([3, 1, 2])) == "2 (1–3)")
        #expect(Formatting.row("a", "b") == "| a | b |")
    }
}
