import Contracts
import Foundation
import Synchronization

/// What every new ticket reads besides its customer — the priority rules and the known outages — kept for two
/// seconds, so a burst of tickets costs two reads a couple of times a second instead of two per ticket. A change
/// made by this process shows at once; one made by another replica within the two seconds.
final class DeskCache: Sendable {
    /// The rules in force and the outages known, as read at one moment.
    struct Snapshot: Sendable {
        var rules: [PriorityRule]
        var outages: [KnownOutage]
        var readAt: ContinuousClock.Instant
    }

    private let state = Mutex<Snapshot?>(nil)
    private let lifetime = Duration.seconds(2)

    /// The snapshot, read again through `load` when older than its lifetime or dropped.
    func snapshot(_ load: () async throws -> (rules: [PriorityRule], outages: [KnownOutage])) async throws -> Snapshot {
        let now = ContinuousClock.now
        if let cached = state.withLock({ $0 }), now - cached.readAt < lifetime { return cached }
        let (rules, outages) = try await load()
        let snapshot = Snapshot(rules: rules, outages: outages, readAt: now)
        state.withLock { $0 = snapshot }
        return snapshot
    }

    /// Drops the snapshot after a change this process made.
    func invalidate() { state.withLock { $0 = nil } }
}

/// An outage monitoring reported, with the address prefixes it covers.
struct KnownOutage: Sendable, Hashable {
    var title: String
    var areas: [String]

    /// Whether `address` starts with one of the areas (case folded).
    func covers(_ address: String?) -> Bool {
        guard let address = address?.lowercased(), !address.isEmpty else { return false }
        return areas.contains { !$0.isEmpty && address.hasPrefix($0.lowercased()) }
    }
}
