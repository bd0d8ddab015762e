import Logging
import ServiceLifecycle
import Storage

/// Feeds a ``CachingSessionStore`` (coherence ``CachingSessionStore/Coherence/invalidations``) with the session
/// changes every process announces on PostgreSQL (``DatabaseSessionStore/changeChannel``).
///
/// The cache is live only while this listens. When the listening connection fails, the cache goes dark at once
/// (every lookup reads the database again), and the listener reconnects with backoff from 100 ms to 5 s; once it
/// listens again the cache starts over empty.
public struct SessionInvalidationListener: Service {
    private let database: PostgresDatabase
    private let cache: CachingSessionStore
    private let healthCheck: Duration
    private let logger: Logger

    /// Creates the listener; `healthCheck` is how often the listening connection is checked.
    public init(database: PostgresDatabase, cache: CachingSessionStore, healthCheck: Duration = .seconds(5), logger: Logger) {
        self.database = database
        self.cache = cache
        self.healthCheck = healthCheck
        self.logger = logger
    }

    /// Listens until shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var delay = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await database.listen(
                        on: DatabaseSessionStore.changeChannel, healthCheck: healthCheck,
                        onListening: { [cache, logger] in
                            cache.feedConnected()
                            logger.info("session cache live: listening for session changes")
                        },
                        onNotification: { [cache] id in cache.invalidate(ids: CollectionOfOne(id)) })
                } catch {
                    let wasLive = cache.isLive
                    cache.feedLost()
                    if Task.isCancelled { break }
                    // Reported once per outage, not on every retry; a new outage starts the backoff over.
                    if wasLive {
                        delay = .milliseconds(100)
                        logger.warning(
                            "session cache off: lost the session-change feed; reading sessions from the database until it is back",
                            metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(5))
                }
            }
            cache.feedLost()
        }
    }
}
