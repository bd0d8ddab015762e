import Configuration
import Messaging

extension PlatformSettings {
    /// `LASTMILE_EVENTS_PREFETCH`, `LASTMILE_EVENTS_DELIVERY_LIMIT` and `LASTMILE_EVENTS_CONSUMER_BATCH`, each within
    /// its range; a batch no larger than the prefetch window, which is all a batch can draw from (unset, the default batch
    /// shrinks to fit).
    static func eventConsumerSettings(_ config: ConfigReader) throws -> AMQPEventConsumerRunner.Settings {
        typealias Runner = AMQPEventConsumerRunner.Settings
        var settings = Runner()
        let prefetch = config.int(forKey: "lastmile.events.prefetch", default: Int(settings.prefetch))
        let prefetchLimits = Int(Runner.prefetchLimits.lowerBound)...Int(Runner.prefetchLimits.upperBound)
        guard prefetchLimits.contains(prefetch) else {
            throw SettingsError(
                key: "LASTMILE_EVENTS_PREFETCH", reason: "must be \(prefetchLimits.lowerBound)–\(prefetchLimits.upperBound), not \(prefetch)")
        }
        settings.prefetch = UInt16(prefetch)
        settings.deliveryLimit = config.int(forKey: "lastmile.events.delivery.limit", default: settings.deliveryLimit)
        guard Runner.deliveryLimits.contains(settings.deliveryLimit) else {
            throw SettingsError(
                key: "LASTMILE_EVENTS_DELIVERY_LIMIT",
                reason: "must be \(Runner.deliveryLimits.lowerBound)–\(Runner.deliveryLimits.upperBound), not \(settings.deliveryLimit)")
        }
        if let batch = config.int(forKey: "lastmile.events.consumer.batch") {
            guard Runner.batchSizes.contains(batch) else {
                throw SettingsError(
                    key: "LASTMILE_EVENTS_CONSUMER_BATCH",
                    reason: "must be \(Runner.batchSizes.lowerBound)–\(Runner.batchSizes.upperBound), not \(batch)")
            }
            guard batch <= prefetch else {
                throw SettingsError(
                    key: "LASTMILE_EVENTS_CONSUMER_BATCH",
                    reason: "must not exceed LASTMILE_EVENTS_PREFETCH (\(prefetch)): a batch takes only deliveries already in hand")
            }
            settings.batchSize = batch
        } else {
            settings.batchSize = min(settings.batchSize, prefetch)
        }
        return settings
    }
}
