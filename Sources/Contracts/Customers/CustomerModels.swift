import Foundation
import Kernel

/// Where a customer's service is delivered.
public struct PostalAddress: Codable, Sendable, Hashable {
    /// City or settlement.
    public var city: String
    /// Street.
    public var street: String
    /// Building number, with block or letter (`12к2`, `7А`).
    public var building: String
    /// Apartment or office; empty for a private house.
    public var apartment: String?

    /// Creates an address.
    public init(city: String, street: String, building: String, apartment: String? = nil) {
        self.city = city
        self.street = street
        self.building = building
        self.apartment = apartment
    }
}

/// A customer's standing with the provider.
public enum CustomerStatus: String, Codable, Sendable, CaseIterable {
    /// Normal service.
    case active
    /// Service stopped by an operator (not by debt, which is per subscription).
    case blocked
    /// The relationship has ended.
    case terminated
}

/// A contract: one service address under one number.
public struct Contract: Codable, Sendable, Hashable {
    /// The contract's id.
    public var id: String
    /// Its customer.
    public var customerId: String
    /// The human contract number, from the operator's configured pattern.
    public var number: String
    /// The service address.
    public var address: PostalAddress
    /// When it was signed.
    public var signedOn: LocalDate
    /// Whether it is in force.
    public var isActive: Bool

    /// Creates a contract.
    public init(id: String, customerId: String, number: String, address: PostalAddress, signedOn: LocalDate, isActive: Bool) {
        self.id = id
        self.customerId = customerId
        self.number = number
        self.address = address
        self.signedOn = signedOn
        self.isActive = isActive
    }
}

/// A customer's card: identity, contacts and contracts. Balance lives in billing.
public struct Customer: Codable, Sendable, Hashable {
    /// The customer's id.
    public var id: String
    /// The user account the customer signs in with.
    public var userId: String
    /// Full name (family name, given name, patronymic).
    public var fullName: String
    /// Phone in E.164 (`+79161234567`).
    public var phone: String?
    /// Contact e-mail.
    public var email: String?
    /// Standing.
    public var status: CustomerStatus
    /// Preferred language of messages (`ru` or `en`).
    public var locale: String
    /// Contracts, oldest first.
    public var contracts: [Contract]
    /// When the customer was registered.
    public var createdAt: Date

    /// Creates a customer.
    public init(
        id: String, userId: String, fullName: String, phone: String?, email: String?, status: CustomerStatus, locale: String,
        contracts: [Contract], createdAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.status = status
        self.locale = locale
        self.contracts = contracts
        self.createdAt = createdAt
    }
}

/// What registering a customer takes.
public struct NewCustomer: Codable, Sendable, Hashable {
    /// The user account (created by auth beforehand).
    public var userId: String
    /// Full name.
    public var fullName: String
    /// Phone.
    public var phone: String?
    /// Contact e-mail.
    public var email: String?
    /// Preferred language.
    public var locale: String
    /// Address of the first contract.
    public var address: PostalAddress
    /// Signing day of the first contract; today when `nil`.
    public var signedOn: LocalDate?

    /// Creates the input.
    public init(
        userId: String, fullName: String, phone: String?, email: String?, locale: String = "ru", address: PostalAddress,
        signedOn: LocalDate? = nil
    ) {
        self.userId = userId
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.locale = locale
        self.address = address
        self.signedOn = signedOn
    }
}

/// The only fields a customer may change about themselves; anything else in a request is refused.
public struct CustomerSelfUpdate: Codable, Sendable, Hashable {
    /// New phone, if changing.
    public var phone: String?
    /// New contact e-mail, if changing.
    public var email: String?
    /// New language, if changing.
    public var locale: String?

    /// Creates the update.
    public init(phone: String? = nil, email: String? = nil, locale: String? = nil) {
        self.phone = phone
        self.email = email
        self.locale = locale
    }
}

/// What an operator may change about a customer.
public struct CustomerOperatorUpdate: Codable, Sendable, Hashable {
    /// New full name, if changing.
    public var fullName: String?
    /// New phone, if changing.
    public var phone: String?
    /// New e-mail, if changing.
    public var email: String?
    /// New status, if changing.
    public var status: CustomerStatus?
    /// New language, if changing.
    public var locale: String?

    /// Creates the update.
    public init(fullName: String? = nil, phone: String? = nil, email: String? = nil, status: CustomerStatus? = nil, locale: String? = nil) {
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.status = status
        self.locale = locale
    }
}

/// An operator's search: free text matched against name, phone, e-mail, contract number and address.
public struct CustomerSearch: Codable, Sendable, Hashable {
    /// The text to look for; at least 2 characters.
    public var text: String
    /// Only customers in this standing, if given.
    public var status: CustomerStatus?

    /// Creates the search.
    public init(text: String, status: CustomerStatus? = nil) {
        self.text = text
        self.status = status
    }
}

/// A search hit: enough to pick the right customer from a list.
public struct CustomerSummary: Codable, Sendable, Hashable {
    /// The customer's id.
    public var id: String
    /// Full name.
    public var fullName: String
    /// Phone.
    public var phone: String?
    /// E-mail.
    public var email: String?
    /// The first contract's number.
    public var contractNumber: String
    /// The first contract's address, as one line.
    public var address: String
    /// Standing.
    public var status: CustomerStatus

    /// Creates a summary.
    public init(
        id: String, fullName: String, phone: String?, email: String?, contractNumber: String, address: String, status: CustomerStatus
    ) {
        self.id = id
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.contractNumber = contractNumber
        self.address = address
        self.status = status
    }
}

/// One line of the CRM timeline: something that happened to the customer.
public struct TimelineEntry: Codable, Sendable, Hashable {
    /// What kind of thing happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A payment or refund.
        case payment
        /// An invoice.
        case invoice
        /// A subscription change (suspension, resumption, tariff).
        case subscription
        /// A support ticket.
        case ticket
        /// A notification sent.
        case notification
        /// An operator's note.
        case note
        /// A change of the customer's card.
        case profile
    }

    /// The entry's id.
    public var id: String
    /// The customer.
    public var customerId: String
    /// Kind.
    public var kind: Kind
    /// The event type that produced it (`payment.succeeded`), or `note`.
    public var source: String
    /// One-line summary for operators.
    public var summary: String
    /// Who wrote it, for notes and operator changes.
    public var authorId: String?
    /// When it happened.
    public var occurredAt: Date

    /// Creates an entry.
    public init(id: String, customerId: String, kind: Kind, source: String, summary: String, authorId: String?, occurredAt: Date) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.source = source
        self.summary = summary
        self.authorId = authorId
        self.occurredAt = occurredAt
    }
}
