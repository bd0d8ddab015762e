import Contracts
import Foundation
import Synchronization

/// Access tokens whose signature and claims were verified already, so a token reused for its fifteen minutes
/// costs one dictionary lookup instead of an Ed25519 verification. Expiry is still checked on every use, and
/// the session is still looked up on every request, so revocation is unaffected.
final class VerifiedTokenCache: Sendable {
    private let entries = Mutex<[TokenKey: AccessClaims]>([:])
    private let capacity: Int

    init(capacity: Int = 50_000) { self.capacity = capacity }

    /// The claims of `token` if it was verified before and has not expired (with `leeway`) at `now`.
    func claims(for token: String, now: Date, leeway: TimeInterval) -> AccessClaims? {
        let key = TokenKey(token: token)
        guard let claims = entries.withLock({ $0[key] }) else { return nil }
        guard claims.expiresAt.addingTimeInterval(leeway) > now else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        return claims
    }

    /// Remembers a verified token; when full, starts over rather than track recency on the hot path.
    func insert(_ claims: AccessClaims, for token: String) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[TokenKey(token: token)] = claims
        }
    }
}

/// A token as a dictionary key that hashes only its last bytes — the end of the signature, distinct for every token
/// that was signed — instead of all of its few hundred bytes on every request; equality still compares the whole.
struct TokenKey: Hashable {
    var token: String

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool { lhs.token == rhs.token }

    func hash(into hasher: inout Hasher) {
        let hashed: Void? = token.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(token) }
    }
}
