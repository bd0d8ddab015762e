import Foundation
import Support

/// Moscow wall-clock time `YYYY-MM-DD HH:MM` (or with `:SS`) as an instant.
func msk(_ text: String) -> Date { local(text, offset: "+03:00") }

/// Wall-clock time `YYYY-MM-DD HH:MM[:SS]` at a fixed UTC offset such as `+01:00`.
func local(_ text: String, offset: String) -> Date {
    let withSeconds = text.count == 16 ? text + ":00" : text
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: withSeconds.replacingOccurrences(of: " ", with: "T") + offset) else {
        fatalError("bad test date \(text)")
    }
    return date
}

/// The Moscow office desk: Monday to Friday 09:00–18:00 under the Russian production calendar.
let moscowOffice = WorkingCalendar(timeZone: TimeZone(identifier: "Europe/Moscow")!, hours: .officeDays, production: .russia)

/// A small seeded generator (SplitMix64) so property runs are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
