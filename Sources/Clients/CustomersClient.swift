import Contracts
import Kernel

/// ``CustomersAPI`` in another process: each method is a call of its ``CustomersOperations`` operation.
public struct CustomersClient: CustomersAPI {
    private let remote: RemoteService

    /// A client over `remote` (whose service is `customers`).
    public init(remote: RemoteService) { self.remote = remote }

    /// Creates a customer.
    public func createCustomer(_ input: NewCustomer, by operatorID: String?) async throws -> Customer {
        try await remote.call(CustomersOperations.createCustomer, .init(customer: input, operatorID: operatorID))
    }

    /// One customer by id.
    public func customer(id: String) async throws -> Customer {
        try await remote.call(CustomersOperations.customer, .init(id: id))
    }

    /// The customer of a user.
    public func customer(userID: String) async throws -> Customer {
        try await remote.call(CustomersOperations.customerOfUser, .init(userID: userID))
    }

    /// A customer's change to their own profile.
    public func updateOwnProfile(userID: String, changes: CustomerSelfUpdate) async throws -> Customer {
        try await remote.call(CustomersOperations.updateOwnProfile, .init(userID: userID, changes: changes))
    }

    /// An operator's change to a customer.
    public func updateCustomer(id: String, changes: CustomerOperatorUpdate, by operatorID: String) async throws -> Customer {
        try await remote.call(CustomersOperations.updateCustomer, .init(id: id, changes: changes, operatorID: operatorID))
    }

    /// Adds a contract at an address.
    public func addContract(customerID: String, address: PostalAddress, by operatorID: String) async throws -> Contract {
        try await remote.call(CustomersOperations.addContract, .init(customerID: customerID, address: address, operatorID: operatorID))
    }

    /// An operator's search.
    public func search(_ query: CustomerSearch, page: PageRequest) async throws -> Page<CustomerSummary> {
        try await remote.call(CustomersOperations.search, .init(query: query, page: page))
    }

    /// A customer's timeline.
    public func timeline(customerID: String, page: PageRequest) async throws -> Page<TimelineEntry> {
        try await remote.call(CustomersOperations.timeline, .init(customerID: customerID, page: page))
    }

    /// Adds an operator's note.
    public func addNote(customerID: String, text: String, by operatorID: String) async throws -> TimelineEntry {
        try await remote.call(CustomersOperations.addNote, .init(customerID: customerID, text: text, operatorID: operatorID))
    }
}
