import Contracts
import ServerKit

/// The billing service's internal API: every ``BillingAPI`` method at its ``BillingOperations`` path, for the gateway
/// and other services in other processes.
///
/// A call made for a signed-in customer may concern only that customer's own account: an owner naming anyone else
/// is answered as not found, whatever the caller's service token allows.
public struct BillingInternalRoutes {
    /// The service answering (the local object).
    public let billing: any BillingAPI

    /// Creates the routes over `billing`.
    public init(billing: any BillingAPI) { self.billing = billing }

    /// Registers every operation on `router`.
    public func register(on router: SecureRouter) {
        let routes = InternalRoutes(router: router, service: "billing")
        let billing = billing
        typealias Ops = BillingOperations
        routes.on(Ops.openAccount) { input, _ in try await billing.openAccount(customerID: input.customerID, userID: input.userID) }
        routes.on(Ops.balance) { input, caller in try await billing.balance(of: Self.owned(input.owner, caller)) }
        routes.on(Ops.transactions) { input, caller in
            try await billing.transactions(of: Self.owned(input.owner, caller), page: input.page)
        }
        routes.on(Ops.verifyLedger) { _, _ in try await billing.verifyLedger() }
        routes.on(Ops.setCreditLimit) { input, _ in
            try await billing.setCreditLimit(customerID: input.customerID, creditLimit: input.creditLimit)
        }
        routes.on(Ops.setLocale) { input, caller in
            try await billing.setLocale(of: Self.owned(input.owner, caller), locale: input.locale)
            return NoContent()
        }
        routes.on(Ops.tariffs) { input, _ in try await billing.tariffs(includeArchived: input.includeArchived) }
        routes.on(Ops.createTariff) { input, _ in try await billing.createTariff(input) }
        routes.on(Ops.setTariffPrice) { input, _ in
            try await billing.setTariffPrice(tariffID: input.tariffID, monthlyPrice: input.monthlyPrice, effectiveFrom: input.effectiveFrom)
        }
        routes.on(Ops.archiveTariff) { input, _ in try await billing.archiveTariff(tariffID: input.id) }
        routes.on(Ops.subscriptions) { input, caller in try await billing.subscriptions(of: Self.owned(input.owner, caller)) }
        routes.on(Ops.createSubscription) { input, _ in try await billing.createSubscription(input) }
        routes.on(Ops.terminateSubscription) { input, _ in
            try await billing.terminateSubscription(subscriptionID: input.subscriptionID, endsOn: input.endsOn)
        }
        routes.on(Ops.previewTariffChange) { input, caller in
            try await billing.previewTariffChange(of: Self.owned(input.owner, caller), input.change)
        }
        routes.on(Ops.changeTariff) { input, caller in
            try await billing.changeTariff(of: Self.owned(input.owner, caller), input.change, idempotency: input.idempotency)
        }
        routes.on(Ops.pause) { input, caller in
            try await billing.pause(of: Self.owned(input.owner, caller), input.change, idempotency: input.idempotency)
        }
        routes.on(Ops.invoices) { input, caller in try await billing.invoices(of: Self.owned(input.owner, caller), page: input.page) }
        routes.on(Ops.invoice) { input, caller in try await billing.invoice(id: input.id, of: Self.owned(input.owner, caller)) }
        routes.on(Ops.pay) { input, caller in
            try await billing.pay(of: Self.owned(input.owner, caller), input.change, idempotency: input.idempotency)
        }
        routes.on(Ops.recordPayment) { input, _ in
            try await billing.recordPayment(input.order, by: input.operatorID, idempotency: input.idempotency)
        }
        routes.on(Ops.refund) { input, _ in try await billing.refund(input.order, by: input.operatorID, idempotency: input.idempotency) }
        routes.on(Ops.payment) { input, caller in try await billing.payment(id: input.id, of: Self.owned(input.owner, caller)) }
        routes.on(Ops.providerNotification) { input, _ in try await billing.handleProviderNotification(input) }
        routes.on(Ops.paymentProviders) { _, _ in try await billing.paymentProviders() }
        routes.on(Ops.savedMethods) { input, caller in try await billing.savedMethods(of: Self.owned(input.owner, caller)) }
        routes.on(Ops.deleteSavedMethod) { input, caller in
            try await billing.deleteSavedMethod(id: input.id, of: Self.owned(input.owner, caller))
            return NoContent()
        }
        routes.on(Ops.autopay) { input, caller in try await billing.autopay(of: Self.owned(input.owner, caller)) }
        routes.on(Ops.setAutopay) { input, caller in try await billing.setAutopay(of: Self.owned(input.owner, caller), input.change) }
        routes.on(Ops.promisedPaymentOffer) { input, caller in try await billing.promisedPaymentOffer(of: Self.owned(input.owner, caller)) }
        routes.on(Ops.takePromisedPayment) { input, caller in
            try await billing.takePromisedPayment(of: Self.owned(input.owner, caller), amount: input.amount, idempotency: input.idempotency)
        }
        routes.on(Ops.startBillingRun) { input, _ in
            try await billing.startBillingRun(period: input.period, dryRun: input.dryRun, by: input.operatorID)
        }
        routes.on(Ops.billingRun) { input, _ in try await billing.billingRun(id: input.id) }
        routes.on(Ops.billingRuns) { input, _ in try await billing.billingRuns(page: input.page) }
        routes.on(Ops.debtors) { input, _ in try await billing.debtors(page: input.page) }
    }

    /// `owner`, when the call is not made for a customer or is made for this one; otherwise not found.
    static func owned(_ owner: AccountOwner, _ caller: ServiceCaller) throws -> AccountOwner {
        guard let user = caller.actingUser, user.role == .customer else { return owner }
        guard owner == .user(user.userID) else { throw BillingError.notFound }
        return owner
    }
}
