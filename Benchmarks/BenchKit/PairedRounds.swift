/// One round of a comparison: the platform's figure and the baseline's, measured one right after the other, so that
/// whatever else loads the machine weighs on both alike.
public struct Pair: Sendable, Equatable {
    /// The platform's figure (a rate, or a time when lower is better).
    public var platform: Double
    /// The baseline's figure, in the same unit.
    public var baseline: Double

    /// Creates a pair.
    public init(platform: Double, baseline: Double) {
        self.platform = platform
        self.baseline = baseline
    }

    /// The platform's figure as a percentage of the baseline's (0 when the baseline is not positive).
    public var ratio: Double { baseline > 0 ? 100 * platform / baseline : 0 }
}

/// What a comparison's median ratio says about its target.
public enum Verdict: String, Sendable, Equatable {
    /// The pairs agree within the tolerance and the median ratio meets the target.
    case met
    /// The pairs agree within the tolerance and the median ratio misses the target.
    case missed
    /// The pairs spread more than the tolerance: the median is reported, but neither met nor missed is claimed.
    case unstable
}

/// The target of a comparison and how many rounds it takes: at least `minimumRounds`; while the pairs spread more than
/// `tolerance` points, more rounds until the median settles (it moved less than `settled` points with each of the last
/// two rounds), never more than `maximumRounds`.
public struct RatioRule: Sendable, Equatable {
    /// The target ratio, in percent of the baseline (500 for "at most 5×").
    public var target: Double
    /// True when the ratio must reach the target (rates); false when it must stay at or under it (times).
    public var higherIsBetter: Bool
    /// The largest spread, in percentage points either side of the median, for which a verdict is given.
    public var tolerance: Double
    /// Rounds always run.
    public var minimumRounds: Int
    /// Rounds never exceeded.
    public var maximumRounds: Int
    /// How little, in points, the median may move with a round for it to count as settled.
    public var settled: Double

    /// Creates a rule; rounds are at least one, and the cap at least the minimum.
    public init(
        target: Double, higherIsBetter: Bool = true, tolerance: Double = 10, minimumRounds: Int = 5, maximumRounds: Int = 15,
        settled: Double = 2
    ) {
        self.target = target
        self.higherIsBetter = higherIsBetter
        self.tolerance = tolerance
        self.minimumRounds = max(1, minimumRounds)
        self.maximumRounds = max(self.minimumRounds, maximumRounds)
        self.settled = settled
    }

    /// True when another round should run after `pairs`.
    public func needsAnotherRound(after pairs: [Pair]) -> Bool {
        if pairs.count < minimumRounds { return true }
        if pairs.count >= maximumRounds { return false }
        let ratios = pairs.map(\.ratio)
        if PairedResult(pairs: pairs).spread <= tolerance { return false }
        guard ratios.count >= 3 else { return true }
        let medians = (0..<3).map { Statistics.median(ratios.dropLast($0)) }
        return abs(medians[0] - medians[1]) >= settled || abs(medians[1] - medians[2]) >= settled
    }

    /// The verdict on a comparison's pairs.
    public func verdict(_ result: PairedResult) -> Verdict {
        if result.pairs.isEmpty || result.spread > tolerance { return .unstable }
        let meets = higherIsBetter ? result.medianRatio >= target : result.medianRatio <= target
        return meets ? .met : .missed
    }
}

/// The pairs of a comparison and what they add up to.
public struct PairedResult: Sendable, Equatable {
    /// Every round, in the order run.
    public var pairs: [Pair]

    /// Creates the result of `pairs`.
    public init(pairs: [Pair]) { self.pairs = pairs }

    /// The median of the pairs' ratios, in percent.
    public var medianRatio: Double { Statistics.median(pairs.map(\.ratio)) }

    /// Half the range of the pairs' ratios, in percentage points: the pairs lie within ± this of the middle of
    /// their range.
    public var spread: Double {
        let ratios = pairs.map(\.ratio)
        guard let low = ratios.min(), let high = ratios.max() else { return 0 }
        return (high - low) / 2
    }

    /// The median of the platform's figures.
    public var platform: Summary { Summary(pairs.map(\.platform)) }
    /// The median of the baseline's figures.
    public var baseline: Summary { Summary(pairs.map(\.baseline)) }
}

/// The median of some figures with their range.
public struct Summary: Sendable, Equatable {
    /// The median.
    public var median: Double
    /// The smallest figure.
    public var minimum: Double
    /// The largest figure.
    public var maximum: Double

    /// Summarises `values` (all zero when there are none).
    public init(_ values: [Double]) {
        median = Statistics.median(values)
        minimum = values.min() ?? 0
        maximum = values.max() ?? 0
    }
}

/// Order statistics.
public enum Statistics {
    /// The median of `values`: the middle one, or the mean of the two middle ones; 0 for none.
    public static func median<Values: Collection<Double>>(_ values: Values) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The value at `share` (0…1) of the sorted values, nearest rank below; 0 for none.
    public static func percentile(_ sorted: [Double], _ share: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
    }
}

/// Runs rounds of `platform` and `baseline` as `rule` asks, alternating which goes first (the baseline in odd
/// rounds), so that a drift in the machine's load weighs on both sides alike. Each closure gets the round's number,
/// from 1, and returns its figure; `report` hears each finished round.
public func measurePairs(
    _ rule: RatioRule, platform: (Int) async throws -> Double, baseline: (Int) async throws -> Double,
    report: (Int, Pair) -> Void = { _, _ in }
) async throws -> PairedResult {
    var pairs: [Pair] = []
    while rule.needsAnotherRound(after: pairs) {
        let round = pairs.count + 1
        let pair: Pair
        if round % 2 == 1 {
            let base = try await baseline(round)
            pair = Pair(platform: try await platform(round), baseline: base)
        } else {
            let ours = try await platform(round)
            pair = Pair(platform: ours, baseline: try await baseline(round))
        }
        pairs.append(pair)
        report(round, pair)
    }
    return PairedResult(pairs: pairs)
}
