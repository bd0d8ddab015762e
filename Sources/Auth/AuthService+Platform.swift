import Messaging
import ServerKit
import ServiceKit
import Storage

extension AuthService: PlatformService {
    /// `auth`.
    public var name: String { "auth" }
    /// Users, sessions, refresh and reset tokens, signing keys, login attempts.
    public var migrations: [MigrationSet] { [AuthMigrations.set] }
    /// ``AuthInternalRoutes``.
    public func registerInternalRoutes(on router: SecureRouter) { AuthInternalRoutes(auth: self).register(on: router) }
}
