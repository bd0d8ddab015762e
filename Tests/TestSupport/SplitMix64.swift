/// A tiny seeded generator (SplitMix64) so property tests see the same "random" cases on every run.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that yields the same sequence for the same seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// An amount that is usually ordinary (up to a million roubles) and sometimes huge, of either sign.
    public mutating func amount() -> Int64 {
        switch Int.random(in: 0..<10, using: &self) {
        case 0: Int64.random(in: Int64.min...Int64.max, using: &self)
        case 1: Int64.random(in: -1000...1000, using: &self)
        default: Int64.random(in: -100_000_000...100_000_000, using: &self)
        }
    }
}
