import Kernel

/// The customer service as the gateway and other services see it (seed: Customer Service; CRM).
public protocol CustomersAPI: Sendable {
    /// Registers a customer for an existing user account (one customer per user) with a first contract.
    func createCustomer(_ input: NewCustomer, by operatorID: String?) async throws -> Customer
    /// One customer by id (operators).
    func customer(id: String) async throws -> Customer
    /// The customer that belongs to a user account (the personal account's own view).
    func customer(userID: String) async throws -> Customer
    /// Changes what a customer may change about themselves; other fields are refused.
    func updateOwnProfile(userID: String, changes: CustomerSelfUpdate) async throws -> Customer
    /// Changes a customer as an operator (status, name, contacts).
    func updateCustomer(id: String, changes: CustomerOperatorUpdate, by operatorID: String) async throws -> Customer
    /// Adds a contract (a service address) to a customer.
    func addContract(customerID: String, address: PostalAddress, by operatorID: String) async throws -> Contract
    /// Operator search by name, phone, e-mail, contract number or address.
    func search(_ query: CustomerSearch, page: PageRequest) async throws -> Page<CustomerSummary>
    /// The customer's CRM timeline, newest first.
    func timeline(customerID: String, page: PageRequest) async throws -> Page<TimelineEntry>
    /// Adds an operator note to the timeline.
    func addNote(customerID: String, text: String, by operatorID: String) async throws -> TimelineEntry
}
