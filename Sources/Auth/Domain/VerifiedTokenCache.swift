import Contracts
import Foundation
import Synchronization

/// Access tokens whose signature and claims were verified already, so a token reused for its fifteen minutes
/// costs one dictionary lookup instead of an Ed25519 verification. Expiry is still checked on every use, and
/// the session is still looked up on every request, so revocation is unaffected.
final class VerifiedTokenCache: Sendable {
    private let entries = Mutex<[String: AccessClaims]>([:])
    private let capacity: Int

    init(capacity: Int = 50_000) { self.capacity = capacity }

    /// The claims of `token` if it was verified before and has not expired (with `leeway`) at `now`.
    func claims(for token: String, now: Date, leeway: TimeInterval) -> AccessClaims? {
        guard let claims = entries.withLock({ $0[token] }) else { return nil }
        guard claims.expiresAt.addingTimeInterval(leeway) > now else {
            entries.withLock { _ = $0.removeValue(forKey: token) }
            return nil
        }
        return claims
    }

    /// Remembers a verified token; when full, starts over rather than track recency on the hot path.
    func insert(_ claims: AccessClaims, for token: String) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = claims
        }
    }
}
