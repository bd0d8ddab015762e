import BenchKit
import Testing

@Suite("Paired rounds: median ratio, spread, verdict and the settling rule")
struct PairedRoundsTests {
    /// Pairs whose ratios are exactly `ratios` (baseline 1,000).
    static func pairs(_ ratios: [Double]) -> [Pair] {
        ratios.map { Pair(platform: $0 * 10, baseline: 1000) }
    }

    @Test func medianOfOddAndEvenCounts() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        #expect(Statistics.median([Double]()) == 0)
    }

    @Test func theRatioIsThePlatformsShareOfTheBaseline() {
        #expect(Pair(platform: 57, baseline: 100).ratio == 57)
        #expect(Pair(platform: 10, baseline: 0).ratio == 0)
    }

    /// The median is of the pairs' ratios, not the ratio of the two sides' medians: a round where both sides slowed
    /// down together stays a fair round.
    @Test func theMedianRatioIsThatOfThePairs() {
        let result = PairedResult(pairs: [
            Pair(platform: 60, baseline: 100), Pair(platform: 30, baseline: 50), Pair(platform: 120, baseline: 200),
            Pair(platform: 59, baseline: 100), Pair(platform: 61, baseline: 100),
        ])
        #expect(result.medianRatio == 60)
        #expect(result.spread == 1)
        #expect(result.platform == Summary([60, 30, 120, 59, 61]))
        #expect(result.baseline.median == 100)
        #expect(result.baseline.minimum == 50 && result.baseline.maximum == 200)
    }

    @Test func spreadIsHalfTheRangeOfTheRatios() {
        #expect(PairedResult(pairs: Self.pairs([50, 70, 60, 55, 65])).spread == 10)
        #expect(PairedResult(pairs: []).spread == 0)
    }

    @Test func verdicts() {
        let rule = RatioRule(target: 50)
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([56, 58, 57, 60, 55]))) == .met)
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([46, 48, 47, 45, 49]))) == .missed)
        // Over ±10 points: neither met nor missed, however far above the target the median is.
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([56, 71, 94, 60, 65]))) == .unstable)
        // Exactly ±10 points still gets a verdict.
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([50, 70, 60, 60, 60]))) == .met)
        #expect(rule.verdict(PairedResult(pairs: [])) == .unstable)
    }

    @Test func aTargetOnTimesIsMetAtOrBelowIt() {
        let rule = RatioRule(target: 500, higherIsBetter: false, tolerance: 50)
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([350, 360, 340, 355, 345]))) == .met)
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([510, 520, 505, 515, 525]))) == .missed)
        #expect(rule.verdict(PairedResult(pairs: Self.pairs([350, 460, 340, 355, 345]))) == .unstable)
    }

    @Test func atLeastTheMinimumRoundsRun() {
        let rule = RatioRule(target: 50)
        for count in 0..<5 { #expect(rule.needsAnotherRound(after: Self.pairs(Array(repeating: 60, count: count)))) }
        #expect(!rule.needsAnotherRound(after: Self.pairs([60, 61, 59, 60, 62])))
    }

    /// Pairs over the tolerance call for more rounds while the median still moves.
    @Test func unstablePairsRunOnWhileTheMedianMoves() {
        let rule = RatioRule(target: 50)
        // The medians without the last two rounds, without the last and of all: 55, 60, 70 (moving): another round.
        #expect(rule.needsAnotherRound(after: Self.pairs([50, 60, 90, 40, 80, 85])))
        // 70, 70, 70: settled, although the spread is still wide.
        #expect(!rule.needsAnotherRound(after: Self.pairs([40, 70, 70, 90, 70, 70, 70])))
    }

    @Test func theRoundCapEndsEvenAnUnsettledRun() {
        let rule = RatioRule(target: 50, minimumRounds: 5, maximumRounds: 8)
        let swinging = Self.pairs([20, 90, 30, 80, 25, 95, 35])
        #expect(rule.needsAnotherRound(after: swinging))
        #expect(!rule.needsAnotherRound(after: swinging + Self.pairs([85])))
    }

    @Test func theRulesBoundsAreSane() {
        let rule = RatioRule(target: 50, minimumRounds: 0, maximumRounds: 0)
        #expect(rule.minimumRounds == 1 && rule.maximumRounds == 1)
    }

    /// The rounds alternate which side goes first, and stop where the rule says.
    @Test func measurePairsAlternatesAndStops() async throws {
        var order: [String] = []
        var rounds: [Int] = []
        let result = try await measurePairs(
            RatioRule(target: 50, minimumRounds: 4),
            platform: { round in
                order.append("p\(round)")
                return 60
            },
            baseline: { round in
                order.append("b\(round)")
                return 100
            }, report: { round, _ in rounds.append(round) })
        #expect(order == ["b1", "p1", "p2", "b2", "b3", "p3", "p4", "b4"])
        #expect(rounds == [1, 2, 3, 4])
        #expect(result.medianRatio == 60)
        #expect(result.pairs.count == 4)
    }

    /// A run whose pairs swing runs more rounds than the minimum, up to the median settling.
    @Test func measurePairsRunsMoreRoundsWhenUnstable() async throws {
        let baselines: [Double] = [100, 50, 100, 100, 100, 100, 100, 100, 100, 100]
        let result = try await measurePairs(
            RatioRule(target: 50, minimumRounds: 5, maximumRounds: 10),
            platform: { _ in 60 }, baseline: { round in baselines[round - 1] })
        // Round 2's ratio is 120%: unstable from then on; the median of 60 has settled by round 5's end.
        #expect(result.pairs.count == 5)
        #expect(RatioRule(target: 50).verdict(result) == .unstable)
        #expect(result.medianRatio == 60)
    }
}
