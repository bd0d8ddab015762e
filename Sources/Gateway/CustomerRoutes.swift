import Contracts
import Hummingbird
import ServerKit

/// `/api/v1/customers/me`: the personal account's own card.
struct CustomerRoutes: Sendable {
    let customers: any CustomersAPI

    /// The members a customer may send when changing their card; anything else is refused by name.
    static let selfUpdateFields: Set<String> = ["phone", "email", "locale"]

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/customers")
        group.get("me", access: .permission(.ownCustomerData), class: .api) { _, context in
            try await customers.customer(userID: try context.requireIdentity().userID)
        }
        group.patch("me", access: .permission(.ownCustomerData), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            let changes = try Request.decodeJSON(CustomerSelfUpdate.self, from: buffer)
            try Request.rejectUnknownFields(in: buffer, allowed: Self.selfUpdateFields)
            return try await customers.updateOwnProfile(userID: try context.requireIdentity().userID, changes: changes)
        }
    }
}
