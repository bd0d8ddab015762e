import Kernel

/// ``CustomersAPI`` as the customer service's internal HTTP API: one ``RemoteOperation`` per method.
public enum CustomersOperations {
    /// The service that answers these operations.
    public static let service = "customers"

    /// The arguments of ``CustomersAPI/createCustomer(_:by:)``.
    public struct CreateInput: Codable, Sendable {
        /// The new customer.
        public var customer: NewCustomer
        /// The operator, if one created it.
        public var operatorID: String?
        /// Creates the body.
        public init(customer: NewCustomer, operatorID: String?) {
            self.customer = customer
            self.operatorID = operatorID
        }
    }

    /// The arguments of a call about one customer by id.
    public struct IDInput: Codable, Sendable {
        /// The customer.
        public var id: String
        /// Creates the body.
        public init(id: String) { self.id = id }
    }

    /// The arguments of a call about the customer of a user.
    public struct UserInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// Creates the body.
        public init(userID: String) { self.userID = userID }
    }

    /// The arguments of ``CustomersAPI/updateOwnProfile(userID:changes:)``.
    public struct SelfUpdateInput: Codable, Sendable {
        /// The customer's user.
        public var userID: String
        /// What changes.
        public var changes: CustomerSelfUpdate
        /// Creates the body.
        public init(userID: String, changes: CustomerSelfUpdate) {
            self.userID = userID
            self.changes = changes
        }
    }

    /// The arguments of ``CustomersAPI/updateCustomer(id:changes:by:)``.
    public struct OperatorUpdateInput: Codable, Sendable {
        /// The customer.
        public var id: String
        /// What changes.
        public var changes: CustomerOperatorUpdate
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(id: String, changes: CustomerOperatorUpdate, operatorID: String) {
            self.id = id
            self.changes = changes
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``CustomersAPI/addContract(customerID:address:by:)``.
    public struct ContractInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// Where the service is delivered.
        public var address: PostalAddress
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(customerID: String, address: PostalAddress, operatorID: String) {
            self.customerID = customerID
            self.address = address
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``CustomersAPI/search(_:page:)``.
    public struct SearchInput: Codable, Sendable {
        /// What to look for.
        public var query: CustomerSearch
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(query: CustomerSearch, page: PageRequest) {
            self.query = query
            self.page = page
        }
    }

    /// The arguments of ``CustomersAPI/timeline(customerID:page:)``.
    public struct TimelineInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(customerID: String, page: PageRequest) {
            self.customerID = customerID
            self.page = page
        }
    }

    /// The arguments of ``CustomersAPI/addNote(customerID:text:by:)``.
    public struct NoteInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// The note.
        public var text: String
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(customerID: String, text: String, operatorID: String) {
            self.customerID = customerID
            self.text = text
            self.operatorID = operatorID
        }
    }

    /// ``CustomersAPI/createCustomer(_:by:)``.
    public static let createCustomer: RemoteOperation<CreateInput, Customer> = .once(service, "create-customer")
    /// ``CustomersAPI/customer(id:)``.
    public static let customer: RemoteOperation<IDInput, Customer> = .repeatable(service, "customer")
    /// ``CustomersAPI/customer(userID:)``.
    public static let customerOfUser: RemoteOperation<UserInput, Customer> = .repeatable(service, "customer-of-user")
    /// ``CustomersAPI/updateOwnProfile(userID:changes:)``.
    public static let updateOwnProfile: RemoteOperation<SelfUpdateInput, Customer> = .once(service, "update-own-profile")
    /// ``CustomersAPI/updateCustomer(id:changes:by:)``.
    public static let updateCustomer: RemoteOperation<OperatorUpdateInput, Customer> = .once(service, "update-customer")
    /// ``CustomersAPI/addContract(customerID:address:by:)``.
    public static let addContract: RemoteOperation<ContractInput, Contract> = .once(service, "add-contract")
    /// ``CustomersAPI/search(_:page:)``.
    public static let search: RemoteOperation<SearchInput, Page<CustomerSummary>> = .repeatable(service, "search")
    /// ``CustomersAPI/timeline(customerID:page:)``.
    public static let timeline: RemoteOperation<TimelineInput, Page<TimelineEntry>> = .repeatable(service, "timeline")
    /// ``CustomersAPI/addNote(customerID:text:by:)``.
    public static let addNote: RemoteOperation<NoteInput, TimelineEntry> = .once(service, "add-note")
}
