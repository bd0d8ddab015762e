import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import Storage

/// The customer service (seed: Customer Service; CRM): customers, contracts, operator search and the timeline.
public final class CustomersService: CustomersAPI {
    let database: any Database
    let settings: CustomersSettings
    let clock: any WallClock
    let logger: Logger

    /// Creates the service over a database migrated with ``CustomersMigrations/set``.
    public init(
        database: any Database, settings: CustomersSettings = CustomersSettings(), clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "lastmile.customers")
    ) {
        self.database = database
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// The consumer that feeds the timeline from other services' events; subscribe it to the event transport.
    public var timelineConsumer: EventConsumer { TimelineConsumer.make(timeZone: settings.timeZone) }

    // MARK: Customers

    /// Registers a customer for a user account with a first contract, numbered from the configured pattern.
    ///
    /// Writes `customer.created` to the outbox in the same transaction. A second customer for the same user is
    /// refused with ``CustomerError/alreadyRegistered``, also when two requests race.
    public func createCustomer(_ input: NewCustomer, by operatorID: String?) async throws -> Customer {
        let userID = input.userId.trimmingCharacters(in: .whitespaces)
        guard !userID.isEmpty else { throw CustomerError.invalidField(field: "userId", reason: "must not be empty") }
        let fullName = try CustomerRules.fullName(input.fullName)
        let phone = try CustomerRules.optionalPhone(input.phone)
        let email = try CustomerRules.optionalEmail(input.email)
        let locale = try CustomerRules.locale(input.locale)
        let address = try CustomerRules.address(input.address)
        let now = clock.now()
        let signedOn = input.signedOn ?? LocalDate(containing: now, in: settings.timeZone)
        let record = CustomerRecord(
            id: Identifier<Customer>.generate().rawValue, userID: userID, fullName: fullName, phone: phone, email: email, status: .active,
            locale: locale, createdAt: now, updatedAt: now)
        let pattern = settings.contractNumberPattern
        do {
            return try await database.transaction { tx in
                guard try await CustomerStore.find(userID: userID, in: tx) == nil else { throw CustomerError.alreadyRegistered }
                let contract = try await Self.newContract(customerID: record.id, address: address, signedOn: signedOn, pattern: pattern, in: tx)
                try await CustomerStore.insert(record, in: tx)
                try await ContractStore.insert(contract, createdAt: now, in: tx)
                try await TimelineStore.insert(
                    TimelineEntry(
                        id: Identifier<TimelineEntry>.generate().rawValue, customerId: record.id, kind: .profile, source: CustomerCreated.type,
                        summary: "Клиент зарегистрирован, договор № \(contract.number)", authorId: operatorID, occurredAt: now),
                    in: tx)
                try await Outbox.append(
                    CustomerCreated(
                        customerId: record.id, userId: userID, contractId: contract.id, contractNumber: contract.number, email: record.email,
                        phone: record.phone), at: now,
                    in: tx)
                return record.customer(contracts: [contract])
            }
        } catch StorageError.uniqueViolation(let constraint) where Self.isUserConstraint(constraint) {
            throw CustomerError.alreadyRegistered
        }
    }

    /// One customer with their contracts.
    public func customer(id: String) async throws -> Customer {
        guard let record = try await CustomerStore.find(id: id, in: database) else { throw CustomerError.notFound }
        return record.customer(contracts: try await ContractStore.contracts(customerID: record.id, in: database))
    }

    /// The customer of a user account.
    public func customer(userID: String) async throws -> Customer {
        guard let (record, contracts) = try await CustomerStore.findWithContracts(userID: userID, in: database) else {
            throw CustomerError.notFound
        }
        return record.customer(contracts: contracts)
    }

    // MARK: Contracts

    /// Adds a contract signed today (in the operator's time zone); writes `customer.contract_added`.
    public func addContract(customerID: String, address: PostalAddress, by operatorID: String) async throws -> Contract {
        let address = try CustomerRules.address(address)
        let now = clock.now()
        let signedOn = LocalDate(containing: now, in: settings.timeZone)
        let pattern = settings.contractNumberPattern
        return try await database.transaction { tx in
            guard try await CustomerStore.find(id: customerID, in: tx) != nil else { throw CustomerError.notFound }
            let contract = try await Self.newContract(customerID: customerID, address: address, signedOn: signedOn, pattern: pattern, in: tx)
            try await ContractStore.insert(contract, createdAt: now, in: tx)
            try await TimelineStore.insert(
                TimelineEntry(
                    id: Identifier<TimelineEntry>.generate().rawValue, customerId: customerID, kind: .profile,
                    source: CustomerContractAdded.type, summary: "Заключён договор № \(contract.number): \(AddressLine.format(address))",
                    authorId: operatorID, occurredAt: now),
                in: tx)
            try await Outbox.append(
                CustomerContractAdded(customerId: customerID, contractId: contract.id, contractNumber: contract.number), at: now, in: tx)
            return contract
        }
    }

    /// A contract with the next number of its scope, drawn inside the caller's transaction.
    static func newContract(customerID: String, address: PostalAddress, signedOn: LocalDate, pattern: ContractNumberPattern, in tx: any SQLExecutor)
        async throws -> Contract
    {
        let sequence = try await ContractStore.reserveSequence(scope: pattern.scope(on: signedOn), in: tx)
        return Contract(
            id: Identifier<Contract>.generate().rawValue, customerId: customerID, number: pattern.format(sequence: sequence, on: signedOn),
            address: address, signedOn: signedOn, isActive: true)
    }

    private static func isUserConstraint(_ constraint: String?) -> Bool {
        guard let constraint else { return false }
        return constraint.contains("customers_user") || constraint.contains("customers.user_id")
    }
}
