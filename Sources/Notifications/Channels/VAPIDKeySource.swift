import Foundation
import Kernel
import Storage
import Synchronization
import WebPush

/// The VAPID key pushes to web apps are signed with: the configured one (`LASTMILE_VAPID_PRIVATE_KEY`), else one made
/// on first use and kept in the service's database, so that every replica signs with the key browsers subscribed to.
public final class VAPIDKeySource: Sendable {
    private let database: any Database
    private let configured: VAPIDKey?
    private let cached = Mutex<VAPIDKey?>(nil)

    /// The key of `database`, unless `configured` is given.
    public init(database: any Database, configured: VAPIDKey? = nil) {
        self.database = database
        self.configured = configured
    }

    /// The key.
    public func key() async throws -> VAPIDKey {
        if let configured { return configured }
        if let known = cached.withLock({ $0 }) { return known }
        let raw = try await StoredSecret.key(named: "vapid", in: "notification_secrets", database: database)
        guard let key = VAPIDKey(privateKeyBase64URL: Kernel.Base64URL.encode(raw)) else {
            throw StorageError.decoding(column: "value", expected: "a P-256 private key")
        }
        cached.withLock { $0 = key }
        return key
    }
}
