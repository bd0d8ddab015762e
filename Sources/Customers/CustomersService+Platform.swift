import Messaging
import ServerKit
import ServiceKit
import Storage

extension CustomersService: PlatformService {
    /// `customers`.
    public var name: String { "customers" }
    /// Customers, contracts, the timeline.
    public var migrations: [MigrationSet] { [CustomersMigrations.set] }
    /// Writes the timeline from every service's events.
    public var consumers: [EventConsumer] { [timelineConsumer] }
    /// ``CustomersInternalRoutes``.
    public func registerInternalRoutes(on router: SecureRouter) { CustomersInternalRoutes(customers: self).register(on: router) }
}
