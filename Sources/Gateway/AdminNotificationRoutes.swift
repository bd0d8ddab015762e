import Contracts
import Hummingbird
import Kernel
import ServerKit

/// `/api/v1/admin/customers/{id}/deliveries`: what was sent to a customer, through what, and how it went.
struct AdminNotificationRoutes: Sendable {
    let notifications: any NotificationsAPI
    let customers: any CustomersAPI

    func register(on router: SecureRouter) {
        router.get("/api/v1/admin/customers/{id}/deliveries", access: .permission(.customersRead), class: .api) { request, context in
            let customerID = try context.parameters.require("id")
            // An unknown customer is a 404, not an empty log.
            _ = try await customers.customer(id: customerID)
            return try await notifications.deliveries(ofCustomer: customerID, page: try request.pageRequest())
        }
    }
}
