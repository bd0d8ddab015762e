import Contracts
import Foundation
import Kernel
import Synchronization

/// The directory over the customer and auth services: a customer's card gives their contacts, a user's profile an
/// operator's. Answers are kept for a minute, so that a burst of events about one person (a monthly run, a busy
/// ticket) asks once.
public final class ServicesDirectory: RecipientDirectory {
    private let customers: (any CustomersAPI)?
    private let auth: (any AuthAPI)?
    private let clock: any WallClock
    private let cache = Mutex<[RecipientRef: (Recipient?, Date)]>([:])
    private let lifetime: TimeInterval = 60

    /// A directory over `customers` and, for operators, `auth`; without `customers` (a process that only declares
    /// the event topology) every lookup fails, and notifications wait.
    public init(customers: (any CustomersAPI)?, auth: (any AuthAPI)?, clock: any WallClock = SystemClock()) {
        self.customers = customers
        self.auth = auth
        self.clock = clock
    }

    /// The person; nil when the service says there is none.
    public func recipient(_ ref: RecipientRef) async throws -> Recipient? {
        let now = clock.now()
        if let (known, at) = cache.withLock({ $0[ref] }), now.timeIntervalSince(at) < lifetime { return known }
        let found = try await lookUp(ref)
        cache.withLock { cache in
            if cache.count > 50_000 { cache.removeAll() }
            cache[ref] = (found, now)
        }
        return found
    }

    private func lookUp(_ ref: RecipientRef) async throws -> Recipient? {
        guard let customers else { throw DirectoryUnreachable() }
        switch ref {
        case .customer(let id):
            do {
                let customer = try await customers.customer(id: id)
                return Recipient(
                    userID: customer.userId, customerID: customer.id, name: customer.fullName, email: customer.email, phone: customer.phone,
                    locale: customer.locale)
            } catch CustomerError.notFound {
                return nil
            }
        case .user(let id):
            do {
                let customer = try await customers.customer(userID: id)
                return Recipient(
                    userID: id, customerID: customer.id, name: customer.fullName, email: customer.email, phone: customer.phone,
                    locale: customer.locale)
            } catch CustomerError.notFound {
                // Not a customer: an operator, whose profile auth keeps.
            }
            guard let auth else { return nil }
            do {
                let profile = try await auth.profile(userID: id)
                guard profile.isActive else { return nil }
                return Recipient(userID: id, customerID: nil, name: profile.email, email: profile.email, phone: nil, locale: profile.locale)
            } catch AuthError.notFound {
                return nil
            }
        }
    }
}

/// The directory has no customer service to ask.
struct DirectoryUnreachable: Error, CustomStringConvertible {
    var description: String { "the customer service is not configured in this process" }
}
