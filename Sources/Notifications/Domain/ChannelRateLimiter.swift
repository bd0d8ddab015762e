import Contracts
import Foundation
import Synchronization

/// How many messages a second one process hands each provider (SMS gateways and push services refuse or queue bursts
/// above their contract's rate): a token bucket per channel, holding up to a second's worth.
final class ChannelRateLimiter: Sendable {
    private let rates: [NotificationChannel: Double]
    private let buckets = Mutex<[NotificationChannel: (tokens: Double, at: Date)]>([:])

    /// Limits of `rates` messages a second per channel; a channel not named is not limited.
    init(rates: [NotificationChannel: Int]) {
        self.rates = rates.filter { $0.value > 0 }.mapValues(Double.init)
    }

    /// Whether a message may go through `channel` at `now`, taking its token if so.
    func take(_ channel: NotificationChannel, at now: Date) -> Bool {
        guard let rate = rates[channel] else { return true }
        return buckets.withLock { buckets in
            var bucket = buckets[channel] ?? (rate, now)
            bucket.tokens = min(rate, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * rate)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[channel] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[channel] = bucket
            return true
        }
    }
}
