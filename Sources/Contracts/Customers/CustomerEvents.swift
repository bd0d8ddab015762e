import Kernel

/// A customer was registered with a first contract; billing opens their account on it.
public struct CustomerCreated: DomainEvent, Equatable {
    /// `customer.created`
    public static let type = "customer.created"
    /// Schema version.
    public static let version = 1
    /// The customer.
    public var customerId: String
    /// The user account.
    public var userId: String
    /// The first contract.
    public var contractId: String
    /// Its number.
    public var contractNumber: String
    /// The customer's e-mail, where fiscal receipts go, if given.
    public var email: String?
    /// The customer's phone, if given.
    public var phone: String?

    /// Creates the event.
    public init(customerId: String, userId: String, contractId: String, contractNumber: String, email: String? = nil, phone: String? = nil) {
        self.customerId = customerId
        self.userId = userId
        self.contractId = contractId
        self.contractNumber = contractNumber
        self.email = email
        self.phone = phone
    }
}

/// A customer's card changed (contacts, status).
public struct CustomerUpdated: DomainEvent, Equatable {
    /// `customer.updated`
    public static let type = "customer.updated"
    /// Schema version.
    public static let version = 1
    /// The customer.
    public var customerId: String
    /// Names of the fields that changed.
    public var fields: [String]
    /// Who changed them: the customer's user or an operator.
    public var changedBy: String?

    /// Creates the event.
    public init(customerId: String, fields: [String], changedBy: String?) {
        self.customerId = customerId
        self.fields = fields
        self.changedBy = changedBy
    }
}

/// A customer signed another contract (a new service address); billing may open subscriptions on it.
public struct CustomerContractAdded: DomainEvent, Equatable {
    /// `customer.contract_added`
    public static let type = "customer.contract_added"
    /// Schema version.
    public static let version = 1
    /// The customer.
    public var customerId: String
    /// The new contract.
    public var contractId: String
    /// Its number.
    public var contractNumber: String

    /// Creates the event.
    public init(customerId: String, contractId: String, contractNumber: String) {
        self.customerId = customerId
        self.contractId = contractId
        self.contractNumber = contractNumber
    }
}
