import Foundation

/// Time-ordered UUID texts (version 7 layout) for one batch of demo rows: a prefix with the current millisecond and
/// random bits, completed by the row's position. Rows inserted together sort together and after earlier batches, so
/// the id indexes (and those on user and customer ids in other services' tables) grow at their right edge instead
/// of taking a random page each.
struct DemoIDs {
    private let prefix: String

    /// A fresh prefix.
    init(at date: Date = Date()) {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let time = Self.hex(millis, digits: 12)
        let random = Self.hex(UInt64.random(in: 0...0xFFF), digits: 3)
        let variant = Self.hex(UInt64.random(in: 0...0x3FFF) | 0x8000, digits: 4)
        prefix = "\(time.prefix(8))-\(time.suffix(4))-7\(random)-\(variant)-"
    }

    /// The id of row `index`.
    func id(_ index: Int) -> String { prefix + Self.hex(UInt64(index), digits: 12) }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
