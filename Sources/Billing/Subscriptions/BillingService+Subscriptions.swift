import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// The account's subscriptions.
    public func subscriptions(of owner: AccountOwner) async throws -> [Subscription] {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await SubscriptionStore.list(customerID: customerID, today: today, in: database)
    }

    /// Subscribes a customer's contract to a tariff. The monthly run bills it from its first day's period on; the days
    /// of periods whose run has started already are charged at once, once per (subscription, period).
    public func createSubscription(_ input: NewSubscription) async throws -> Subscription {
        guard !input.contractId.isEmpty else { throw BillingError.invalidField(field: "contractId", reason: "must not be empty") }
        let (id, now, today) = (Identifier<Subscription>.generate().rawValue, clock.now(), today)
        return try await database.transaction { tx in
            _ = try await AccountStore.customerID(of: .customer(input.customerId), in: tx)
            try await self.requireOfferedTariff(input.tariffId, on: input.startsOn, in: tx)
            try await self.insertSubscription(id: id, input, at: now, in: tx)
            return try await SubscriptionStore.find(id: id, customerID: nil, today: today, in: tx)!
        }
    }

    /// Writes a checked new subscription under its account's lock: the row, the charges for periods whose run has
    /// started, the account's credit limit and its debt state. Shared by ``createSubscription(_:)`` and the import.
    func insertSubscription(id: String, _ input: NewSubscription, at now: Date, in tx: any SQLExecutor) async throws {
        try await AccountStore.lock(customerID: input.customerId, in: tx)
        try await SubscriptionStore.insert(id: id, input, at: now, in: tx)
        try await chargeMissedPeriods(subscriptionID: id, customerID: input.customerId, startsOn: input.startsOn, at: now, in: tx)
        try await AccountStore.refreshCreditLimit(customerID: input.customerId, in: tx)
        try await applyDebt(customerID: input.customerId, at: now, in: tx)
    }

    /// Ends a subscription after `endsOn`; days already invoiced after it are credited back.
    public func terminateSubscription(subscriptionID: String, endsOn: LocalDate) async throws -> Subscription {
        let (now, today) = (clock.now(), today)
        return try await database.transaction { tx in
            guard let subscription = try await SubscriptionStore.find(id: subscriptionID, customerID: nil, today: today, in: tx) else {
                throw BillingError.notFound
            }
            try await AccountStore.lock(customerID: subscription.customerId, in: tx)
            guard subscription.status != .terminated else { throw BillingError.conflict(reason: "the subscription is terminated already") }
            guard endsOn >= subscription.startsOn.adding(days: -1) else {
                throw BillingError.invalidField(field: "endsOn", reason: "must not be before the start")
            }
            let window = SubscriptionTerms.DayRange(from: endsOn.adding(days: 1), before: LocalDate(year: 9999, month: 12, day: 31)!)
            let credit = try await self.billedAmount(subscriptionID: subscriptionID, window: window, in: tx)
            try await tx.query(
                "UPDATE subscriptions SET ends_on = $1, status = 'terminated', next_tariff_id = NULL WHERE id = $2", endsOn.dayNumber,
                subscriptionID)
            if credit.amount > 0 {
                try await self.postCredit(
                    credit, customerID: subscription.customerId,
                    description: LocalizedText(ru: "Возврат за дни после отключения", en: "Credit for days after termination"), at: now, in: tx)
            }
            try await AccountStore.refreshCreditLimit(customerID: subscription.customerId, in: tx)
            try await self.applyDebt(customerID: subscription.customerId, at: now, in: tx)
            return try await SubscriptionStore.find(id: subscriptionID, customerID: nil, today: today, in: tx)!
        }
    }

    /// Charges a new subscription's days in periods whose monthly run has started: the run may have passed its
    /// customer already, and the run leaves out a (subscription, period) charged here, so each is charged once.
    private func chargeMissedPeriods(subscriptionID: String, customerID: String, startsOn: LocalDate, at now: Date, in tx: any SQLExecutor)
        async throws
    {
        guard let terms = try await SubscriptionStore.terms(ids: [subscriptionID], in: tx).first else { return }
        let lines = try await unbilledLines(terms: terms, from: startsOn, in: tx)
        try await charge(lines, customerID: customerID, at: now, in: tx)
    }

    /// The lines under `terms` of the periods from `day`'s on whose monthly run has started but that have neither an
    /// invoice line nor a separate charge for the subscription: days the run did not charge (the subscription did not
    /// exist yet, or was suspended then) and will not charge later.
    func unbilledLines(terms: SubscriptionTerms, from day: LocalDate, in tx: any SQLExecutor) async throws -> [(
        period: BillingPeriod, line: PricedLine
    )] {
        let periods = try await tx.query(
            """
            SELECT DISTINCT r.period FROM billing_runs r WHERE r.dry_run = FALSE AND r.period >= $2
              AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.subscription_id = $1 AND l.period = r.period)
              AND NOT EXISTS (SELECT 1 FROM subscription_charges c WHERE c.subscription_id = $1 AND c.period = r.period)
            ORDER BY r.period
            """,
            terms.id, day.period.description
        ).compactMap { BillingPeriod(try $0.string("period")) }
        guard !periods.isEmpty else { return [] }
        let tariffs = try await TariffStore.priced(in: tx)
        return try periods.compactMap { period in
            try LinePricing.line(for: terms, in: period, tariffs: tariffs, currency: settings.currency).map { (period, $0) }
        }
    }

    /// Charges lines outside the monthly run: each is recorded once per (subscription, period) and taken from the balance.
    func charge(_ lines: [(period: BillingPeriod, line: PricedLine)], customerID: String, at now: Date, in tx: any SQLExecutor) async throws {
        for (period, line) in lines {
            try await tx.query(
                """
                INSERT INTO subscription_charges (subscription_id, period, customer_id, amount, vat, days, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """,
                line.subscriptionID, period.description, customerID, line.amount, line.vat, line.days, now)
            try await postCharge((line.amount, line.vat), customerID: customerID, description: line.description, at: now, in: tx)
        }
    }

    /// What the invoiced periods charged for the subscription's days within `window`, at its current terms.
    func billedAmount(subscriptionID: String, window: SubscriptionTerms.DayRange, in tx: any SQLExecutor) async throws -> (amount: Int64, vat: Int64)
    {
        guard let terms = try await SubscriptionStore.terms(ids: [subscriptionID], in: tx).first else { return (0, 0) }
        return try await billedAmount(terms: terms, window: window, in: tx)
    }

    /// What the subscription's invoiced periods would charge for the days within `window` under `terms`.
    func billedAmount(terms: SubscriptionTerms, window: SubscriptionTerms.DayRange, in tx: any SQLExecutor) async throws -> (
        amount: Int64, vat: Int64
    ) {
        let subscriptionID = terms.id
        let periods = try await tx.query(
            "SELECT period FROM invoice_lines WHERE subscription_id = $1 UNION SELECT period FROM subscription_charges WHERE subscription_id = $1",
            subscriptionID
        ).compactMap { BillingPeriod(try $0.string("period")) }
        let tariffs = try await TariffStore.priced(in: tx)
        var total: (amount: Int64, vat: Int64) = (0, 0)
        for period in periods where period.endDay > window.from && period.firstDay < window.before {
            if let line = try LinePricing.line(for: terms, in: period, tariffs: tariffs, currency: settings.currency, within: window) {
                total.amount += line.amount
                total.vat += line.vat
            }
        }
        return total
    }

    /// Returns money to the balance: customer +amount against revenue and VAT.
    func postCredit(_ credit: (amount: Int64, vat: Int64), customerID: String, description: LocalizedText, at time: Date, in tx: any SQLExecutor)
        async throws
    {
        try await LedgerStore.post(
            LedgerPosting(
                kind: AccountTransaction.Kind.credit.rawValue, customerID: customerID, description: description,
                entries: [
                    LedgerEntryDraft(.customer, credit.amount), LedgerEntryDraft(.revenue, -(credit.amount - credit.vat)),
                    LedgerEntryDraft(.vatPayable, -credit.vat),
                ]), at: time, in: tx)
    }

    /// Takes a charge from the balance whatever it is: customer −amount against revenue and VAT.
    func postCharge(_ charge: (amount: Int64, vat: Int64), customerID: String, description: LocalizedText, at time: Date, in tx: any SQLExecutor)
        async throws
    {
        try await LedgerStore.post(
            LedgerPosting(
                kind: AccountTransaction.Kind.charge.rawValue, customerID: customerID, description: description,
                entries: [
                    LedgerEntryDraft(.customer, -charge.amount), LedgerEntryDraft(.revenue, charge.amount - charge.vat),
                    LedgerEntryDraft(.vatPayable, charge.vat),
                ]), at: time, in: tx)
    }
}
