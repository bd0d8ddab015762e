/// A small, fast, seedable generator (SplitMix64) so demo data is the same for the same seed on every machine.
///
/// Each customer draws from its own stream, keyed by the seed and its index, so any slice of a data set can be
/// generated on its own and in parallel.
struct DemoRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// The stream of customer `index` under `seed`.
    init(seed: UInt64, index: Int) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// One element of a non-empty list.
    mutating func pick<Element>(_ list: [Element]) -> Element {
        list[Int(next() % UInt64(list.count))]
    }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool {
        Int(next() % 100) < percent
    }
}
