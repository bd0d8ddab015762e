import Contracts
import Foundation

extension SLAPolicy {
    /// Reads a policy from the settings form (`LASTMILE_SUPPORT_SLA`): one entry per priority, `;`-separated, each
    /// `<priority> <first>/<next>/<resolution>` with durations as `15m`, `4h` or `2d` (working time), and `24/7` after
    /// them for a priority whose clock runs round the clock — `urgent 15m/30m/4h 24/7; high 1h/2h/8h; normal 4h/8h/1d;
    /// low 8h/16h/5d`. A priority left out keeps its target in `base`. `warning` is `20%` or `30m`. Errors name the
    /// entry that is wrong.
    public init(settings text: String, warning: String?, base: SLAPolicy = .ispDefault) throws(SLAPolicySettingsError) {
        var targets = base.targets
        for entry in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let words = entry.split(whereSeparator: \.isWhitespace).map(String.init)
            guard (2...3).contains(words.count), let priority = TicketPriority(rawValue: words[0].lowercased()) else {
                throw SLAPolicySettingsError(entry: entry, reason: "expected <low|normal|high|urgent> <first>/<next>/<resolution> [24/7]")
            }
            let parts = words[1].split(separator: "/").map(String.init)
            guard parts.count == 3, let first = Self.minutes(parts[0]), let next = Self.minutes(parts[1]), let resolution = Self.minutes(parts[2])
            else { throw SLAPolicySettingsError(entry: entry, reason: "durations are like 15m, 4h or 2d, three of them separated by /") }
            guard words.count == 2 || words[2] == "24/7" else { throw SLAPolicySettingsError(entry: entry, reason: "only 24/7 may follow") }
            guard first <= resolution else { throw SLAPolicySettingsError(entry: entry, reason: "the first response comes before resolution") }
            targets[priority] = SLATargets(
                firstResponseMinutes: first, nextResponseMinutes: next, resolutionMinutes: resolution, roundTheClock: words.count == 3)
        }
        var window = base.warning
        if let warning = warning?.trimmingCharacters(in: .whitespaces), !warning.isEmpty {
            if warning.hasSuffix("%"), let percent = Int(warning.dropLast()), (1...90).contains(percent) {
                window = .fraction(Double(percent) / 100)
            } else if let minutes = Self.minutes(warning) {
                window = .minutes(minutes)
            } else {
                throw SLAPolicySettingsError(entry: warning, reason: "a share such as 20% or a duration such as 30m", inWarning: true)
            }
        }
        self.init(targets: targets, warning: window)
    }

    /// `15m`, `4h`, `2d` (a day is 24 hours of the clock the target counts) as minutes, 1 minute to 90 days.
    private static func minutes(_ text: String) -> Int? {
        guard let unit = text.last, let value = Int(text.dropLast()), value > 0 else { return nil }
        let minutes: Int
        switch unit {
        case "m": minutes = value
        case "h": minutes = value * 60
        case "d": minutes = value * 24 * 60
        default: return nil
        }
        return minutes <= 90 * 24 * 60 ? minutes : nil
    }
}

/// A wrong entry in the SLA policy's settings.
public struct SLAPolicySettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry as written.
    public var entry: String
    /// What is wrong with it.
    public var reason: String
    /// Whether it is the warning window's setting rather than the targets'.
    public var inWarning = false

    /// `"<entry>": <reason>`.
    public var description: String { "\"\(entry)\": \(reason)" }
}
