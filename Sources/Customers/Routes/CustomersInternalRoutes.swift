import Contracts
import ServerKit

/// The customer service's internal API: every ``CustomersAPI`` method at its ``CustomersOperations`` path.
///
/// A call made for a signed-in customer may concern only that customer: anything about another is answered as not
/// found, and operators' operations are refused.
public struct CustomersInternalRoutes {
    /// The service answering (the local object).
    public let customers: any CustomersAPI

    /// Creates the routes over `customers`.
    public init(customers: any CustomersAPI) { self.customers = customers }

    /// Registers every operation on `router`.
    public func register(on router: SecureRouter) {
        let routes = InternalRoutes(router: router, service: "customers")
        let customers = customers
        typealias Ops = CustomersOperations
        routes.on(Ops.createCustomer) { input, caller in
            try Self.staff(caller)
            return try await customers.createCustomer(input.customer, by: input.operatorID)
        }
        routes.on(Ops.customer) { input, caller in
            let customer = try await customers.customer(id: input.id)
            try Self.own(customer, caller)
            return customer
        }
        routes.on(Ops.customerOfUser) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await customers.customer(userID: input.userID)
        }
        routes.on(Ops.updateOwnProfile) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await customers.updateOwnProfile(userID: input.userID, changes: input.changes)
        }
        routes.on(Ops.updateCustomer) { input, caller in
            try Self.staff(caller)
            return try await customers.updateCustomer(id: input.id, changes: input.changes, by: input.operatorID)
        }
        routes.on(Ops.addContract) { input, caller in
            try Self.staff(caller)
            return try await customers.addContract(customerID: input.customerID, address: input.address, by: input.operatorID)
        }
        routes.on(Ops.search) { input, caller in
            try Self.staff(caller)
            return try await customers.search(input.query, page: input.page)
        }
        routes.on(Ops.timeline) { input, caller in
            try Self.staff(caller)
            return try await customers.timeline(customerID: input.customerID, page: input.page)
        }
        routes.on(Ops.addNote) { input, caller in
            try Self.staff(caller)
            return try await customers.addNote(customerID: input.customerID, text: input.text, by: input.operatorID)
        }
    }

    /// A call for a customer about another user is answered as not found.
    static func same(user userID: String, _ caller: ServiceCaller) throws {
        if let customer = caller.customerUserID, customer != userID { throw CustomerError.notFound }
    }

    /// A call for a customer about another customer is answered as not found.
    static func own(_ customer: Customer, _ caller: ServiceCaller) throws {
        guard let user = caller.actingUser, user.role == .customer else { return }
        guard customer.userId == user.userID else { throw CustomerError.notFound }
    }

    /// Operators' operations are not made for customers.
    static func staff(_ caller: ServiceCaller) throws {
        if caller.customerUserID != nil { throw CustomerError.notFound }
    }
}
