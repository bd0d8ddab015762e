import Foundation
import Synchronization

/// The provider token every request of a client carries: signed once and reused, signed anew once it is
/// ``refreshAge`` old (APNs refuses tokens over an hour old with `ExpiredProviderToken`, and tokens renewed more often
/// than every 20 minutes with `TooManyProviderTokenUpdates`). A token APNs called expired is replaced on the next
/// request, unless it is under ``minimumAge`` old.
public final class APNsProviderToken: Sendable, CustomStringConvertible {
    /// The age at which a token is replaced.
    public static let refreshAge: Duration = .seconds(50 * 60)
    /// The least age at which a token may be replaced.
    public static let minimumAge: Duration = .seconds(20 * 60)

    private struct Current {
        var token: String
        var authorization: String
        var issuedAt: Date
        var stale = false
    }

    private let key: APNsSigningKey
    private let now: @Sendable () -> Date
    private let current = Mutex<Current?>(nil)
    private let signings = Atomic<Int>(0)

    /// Tokens of `key`, aged by `now`.
    public init(key: APNsSigningKey, now: @escaping @Sendable () -> Date = { Date() }) {
        self.key = key
        self.now = now
    }

    /// The token to send now.
    public func token() -> String { bearer().token }

    /// The token to send now, and the `authorization` header value that carries it.
    func bearer() -> (token: String, authorization: String) {
        let now = now()
        return current.withLock { current in
            if let existing = current {
                let age = now.timeIntervalSince(existing.issuedAt)
                let replace = age >= Self.seconds(Self.refreshAge) || (existing.stale && age >= Self.seconds(Self.minimumAge)) || age < -60
                if !replace { return (existing.token, existing.authorization) }
            }
            signings.add(1, ordering: .relaxed)
            let token = key.providerToken(issuedAt: now)
            current = Current(token: token, authorization: "bearer " + token, issuedAt: now)
            return (token, "bearer " + token)
        }
    }

    /// Marks `token` as refused for its age, to be replaced as soon as ``minimumAge`` allows.
    func expired(_ token: String) {
        current.withLock { current in
            if current?.token == token { current?.stale = true }
        }
    }

    /// How many tokens were signed so far.
    public var tokensSigned: Int { signings.load(ordering: .relaxed) }

    /// The key's ids.
    public var description: String { "APNsProviderToken(\(key))" }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
