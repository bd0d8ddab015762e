import Contracts
import Foundation
import Kernel
import Storage

extension CustomersService {
    /// Changes the customer's phone, e-mail or language. ``CustomerSelfUpdate`` holds nothing else, so name, status,
    /// contracts and balance cannot change through this path; an invalid value is refused naming its field and
    /// changes nothing. Writes `customer.updated` when a value changed.
    public func updateOwnProfile(userID: String, changes: CustomerSelfUpdate) async throws -> Customer {
        let changes = try ProfileChanges(changes)
        return try await update(changes, actor: userID, byCustomer: true) { tx in try await CustomerStore.find(userID: userID, in: tx) }
    }

    /// Changes a customer's name, contacts, status or language as an operator; writes `customer.updated` when a value
    /// changed.
    public func updateCustomer(id: String, changes: CustomerOperatorUpdate, by operatorID: String) async throws -> Customer {
        let changes = try ProfileChanges(changes)
        return try await update(changes, actor: operatorID, byCustomer: false) { tx in try await CustomerStore.find(id: id, in: tx) }
    }

    private func update(
        _ changes: ProfileChanges, actor: String, byCustomer: Bool, find: @escaping @Sendable (any SQLExecutor) async throws -> CustomerRecord?
    ) async throws -> Customer {
        let now = clock.now()
        return try await database.transaction { tx in
            guard var record = try await find(tx) else { throw CustomerError.notFound }
            let fields = changes.apply(to: &record)
            if !fields.isEmpty {
                record.updatedAt = now
                try await CustomerStore.update(record, in: tx)
                try await TimelineStore.insert(
                    TimelineEntry(
                        id: Identifier<TimelineEntry>.generate().rawValue, customerId: record.id, kind: .profile, source: CustomerUpdated.type,
                        summary: ProfileChanges.summary(of: fields, to: record, byCustomer: byCustomer), authorId: actor, occurredAt: now),
                    in: tx)
                try await Outbox.append(CustomerUpdated(customerId: record.id, fields: fields, changedBy: actor), at: now, in: tx)
            }
            return record.customer(contracts: try await ContractStore.contracts(customerID: record.id, in: tx))
        }
    }
}
