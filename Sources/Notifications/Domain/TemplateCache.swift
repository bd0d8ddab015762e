import Contracts
import Foundation
import Synchronization

/// The operators' templates in force, read at most every few seconds: a new version reaches every replica within
/// that, and the replica that wrote it at once.
final class TemplateCache: Sendable {
    private let state = Mutex<(value: [String: NotificationTemplateInfo], at: ContinuousClock.Instant)?>(nil)
    private let lifetime: Duration = .seconds(5)

    /// The cached value, or `load`'s when it is older than the lifetime.
    func snapshot(_ load: @Sendable () async throws -> [String: NotificationTemplateInfo]) async throws -> [String: NotificationTemplateInfo] {
        let now = ContinuousClock.now
        if let cached = state.withLock({ $0 }), now - cached.at < lifetime { return cached.value }
        let value = try await load()
        state.withLock { $0 = (value, now) }
        return value
    }

    /// Forgets the cached value.
    func invalidate() { state.withLock { $0 = nil } }
}
