import Contracts
import Hummingbird
import Kernel
import Logging
import ServerKit

/// `/api/v1/admin/customers`: the operators' CRM — search, card, timeline, notes, contracts.
struct AdminCustomerRoutes: Sendable {
    let customers: any CustomersAPI
    let billing: any BillingAPI

    /// `POST /api/v1/admin/customers`: registers a customer for an existing user account.
    struct CreateBody: Codable, Sendable {
        var userId: String
        var fullName: String
        var phone: String?
        var email: String?
        var locale: String?
        var address: PostalAddress
        var signedOn: LocalDate?
    }

    /// `POST /api/v1/admin/customers/{id}/notes`.
    struct NoteBody: Codable, Sendable {
        var text: String
    }

    /// The operator's card: the customer and their money, fetched in parallel; a failed part is named in `missing`.
    struct Card: ResponseEncodable, Sendable {
        var customer: Customer
        var balance: AccountBalance?
        var subscriptions: [Subscription]?
        var missing: [String]
    }

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/admin/customers")
        group.get("", access: .permission(.customersRead), class: .api) { request, context in
            let text = request.uri.queryParameters.get("q").map { String($0) } ?? ""
            var status: CustomerStatus?
            if let value = request.uri.queryParameters.get("status") {
                guard let parsed = CustomerStatus(rawValue: String(value)) else {
                    throw Problem.invalidField("status", "query parameter status must be one of active, blocked, terminated")
                }
                status = parsed
            }
            return try await customers.search(CustomerSearch(text: text, status: status), page: try request.pageRequest())
        }
        group.post("", access: .permission(.customersManage), class: .api) { request, context in
            let body = try await request.decodeJSON(CreateBody.self, context: context)
            let operatorID = try context.requireIdentity().userID
            let customer = try await customers.createCustomer(
                NewCustomer(
                    userId: body.userId, fullName: body.fullName, phone: body.phone, email: body.email, locale: body.locale ?? "ru",
                    address: body.address, signedOn: body.signedOn),
                by: operatorID)
            _ = try await billing.openAccount(customerID: customer.id, userID: customer.userId)
            return created(customer)
        }
        group.get("{id}", access: .permission(.customersRead), class: .api) { _, context in
            let id = try context.parameters.require("id")
            let customer = try await customers.customer(id: id)
            async let balance = capture { try await billing.balance(of: .customer(id)) }
            async let subscriptions = capture { try await billing.subscriptions(of: .customer(id)) }
            var card = Card(customer: customer, balance: nil, subscriptions: nil, missing: [])
            switch await balance {
            case .success(let value): card.balance = value
            case .failure(let error): card.missing.append("balance"); log(error, part: "balance", context.logger)
            }
            switch await subscriptions {
            case .success(let value): card.subscriptions = value
            case .failure(let error): card.missing.append("subscriptions"); log(error, part: "subscriptions", context.logger)
            }
            return card
        }
        group.patch("{id}", access: .permission(.customersManage), class: .api) { request, context in
            let changes = try await request.decodeJSON(CustomerOperatorUpdate.self, context: context)
            return try await customers.updateCustomer(
                id: try context.parameters.require("id"), changes: changes, by: try context.requireIdentity().userID)
        }
        group.post("{id}/contracts", access: .permission(.customersManage), class: .api) { request, context in
            let address = try await request.decodeJSON(PostalAddress.self, context: context)
            return created(
                try await customers.addContract(
                    customerID: try context.parameters.require("id"), address: address, by: try context.requireIdentity().userID))
        }
        group.get("{id}/timeline", access: .permission(.customersRead), class: .api) { request, context in
            try await customers.timeline(customerID: try context.parameters.require("id"), page: try request.pageRequest())
        }
        // Any operator who may read the card may annotate it: support agents write most notes.
        group.post("{id}/notes", access: .permission(.customersRead), class: .api) { request, context in
            let body = try await request.decodeJSON(NoteBody.self, context: context)
            return created(
                try await customers.addNote(
                    customerID: try context.parameters.require("id"), text: body.text, by: try context.requireIdentity().userID))
        }
        group.get("{id}/transactions", access: .permission(.billingRead), class: .api) { request, context in
            try await billing.transactions(of: .customer(try context.parameters.require("id")), page: try request.pageRequest())
        }
        group.get("{id}/invoices", access: .permission(.billingRead), class: .api) { request, context in
            try await billing.invoices(of: .customer(try context.parameters.require("id")), page: try request.pageRequest())
        }
        group.get("{id}/invoices/{invoiceId}", access: .permission(.billingRead), class: .api) { _, context in
            try await billing.invoice(
                id: try context.parameters.require("invoiceId"), of: .customer(try context.parameters.require("id")))
        }
        group.get("{id}/promised-payment", access: .permission(.billingRead), class: .api) { _, context in
            try await billing.promisedPaymentOffer(of: .customer(try context.parameters.require("id")))
        }
    }

    private func log(_ error: any Error, part: String, _ logger: Logger) {
        guard !(error is BillingError) else { return }
        logger.error("customer card: \(part) failed", metadata: ["error": "\(error)"])
    }
}

/// Runs `body`, keeping its error as a value so parallel parts can fail alone.
func capture<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
