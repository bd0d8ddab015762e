import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    private static let endOfTime = LocalDate(year: 9999, month: 12, day: 31)!

    /// The exact prorated amounts a tariff change would make today, without making it.
    public func previewTariffChange(of owner: AccountOwner, _ change: TariffChange) async throws -> TariffChangePreview {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await tariffChangePreview(customerID: customerID, change, in: database).preview
    }

    /// Changes the tariff; the amounts are the preview's for the same day. Days already invoiced are credited on the
    /// old tariff and charged on the new one at once; days not yet invoiced are priced by the monthly run.
    public func changeTariff(of owner: AccountOwner, _ change: TariffChange, idempotency: IdempotencyToken) async throws -> TariffChangePreview {
        try await self.idempotency.perform("change-tariff", caller: Self.caller(owner), token: idempotency) { tx in
            let now = self.clock.now()
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            try await AccountStore.lock(customerID: customerID, in: tx)
            let preview = try await self.tariffChangePreview(customerID: customerID, change, in: tx)
            try await tx.query(
                "DELETE FROM subscription_tariffs WHERE subscription_id = $1 AND effective_from > $2", change.subscriptionId,
                preview.effectiveOn.dayNumber)
            try await SubscriptionStore.addTariffSegment(
                subscriptionID: change.subscriptionId, tariffID: change.tariffId, from: preview.effectiveOn, in: tx)
            if change.timing == .now {
                try await tx.query(
                    "UPDATE subscriptions SET tariff_id = $1, next_tariff_id = NULL WHERE id = $2", change.tariffId, change.subscriptionId)
            } else {
                try await tx.query("UPDATE subscriptions SET next_tariff_id = $1 WHERE id = $2", change.tariffId, change.subscriptionId)
            }
            let credit = (amount: preview.credit.minorUnits, vat: preview.creditVAT)
            let charge = (amount: preview.charge.minorUnits, vat: preview.chargeVAT)
            if credit.amount > 0 {
                try await self.postCredit(
                    credit, customerID: customerID,
                    description: LocalizedText(ru: "Возврат за дни прежнего тарифа", en: "Credit for the old tariff's days"), at: now, in: tx)
            }
            if charge.amount > 0 {
                try await self.postCharge(
                    charge, customerID: customerID,
                    description: LocalizedText(ru: "Доплата по новому тарифу", en: "Charge for the new tariff's days"),
                    at: now, in: tx)
            }
            try await Outbox.append(
                TariffChanged(
                    subscriptionId: change.subscriptionId, customerId: customerID, fromTariffId: preview.preview.fromTariffId,
                    toTariffId: change.tariffId, effectiveOn: preview.effectiveOn), at: now, in: tx)
            try await AccountStore.refreshCreditLimit(customerID: customerID, in: tx)
            try await self.applyDebt(customerID: customerID, at: now, in: tx)
            return preview.preview
        }
    }

    private func tariffChangePreview(customerID: String, _ change: TariffChange, in executor: any SQLExecutor) async throws -> PricedChange {
        let today = today
        guard let subscription = try await SubscriptionStore.find(id: change.subscriptionId, customerID: customerID, today: today, in: executor)
        else {
            throw BillingError.notFound
        }
        guard subscription.status != .terminated else { throw BillingError.conflict(reason: "the subscription is terminated") }
        let effectiveOn = change.timing == .now ? max(today, subscription.startsOn) : today.period.next.firstDay
        let currentTariff = try await SubscriptionStore.terms(ids: [subscription.id], in: executor).first?.tariff(on: effectiveOn)
        guard change.tariffId != currentTariff else { throw BillingError.invalidField(field: "tariffId", reason: "is the tariff in force") }
        try await requireOfferedTariff(change.tariffId, on: effectiveOn, in: executor)
        guard var terms = try await SubscriptionStore.terms(ids: [subscription.id], in: executor).first else { throw BillingError.notFound }
        let window = SubscriptionTerms.DayRange(from: effectiveOn, before: Self.endOfTime)
        let credit = try await billedAmount(terms: terms, window: window, in: executor)
        terms.tariffs = terms.tariffs.filter { $0.from < effectiveOn } + [(from: effectiveOn, tariffID: change.tariffId)]
        let charge = try await billedAmount(terms: terms, window: window, in: executor)
        let tariffs = try await TariffStore.priced(in: executor)
        let newPrice = tariffs[change.tariffId]?.price(on: effectiveOn) ?? 0
        return PricedChange(
            preview: TariffChangePreview(
                subscriptionId: subscription.id, fromTariffId: currentTariff ?? subscription.tariffId, toTariffId: change.tariffId,
                effectiveOn: effectiveOn, credit: money(credit.amount), charge: money(charge.amount),
                balanceChange: money(credit.amount - charge.amount),
                newMonthlyPrice: money(newPrice)),
            creditVAT: credit.vat, chargeVAT: charge.vat)
    }

    /// Pauses a subscription for whole days from `startsOn`; days already invoiced within the pause are credited.
    public func pause(of owner: AccountOwner, _ pause: SubscriptionPause, idempotency: IdempotencyToken) async throws -> Subscription {
        guard (1...settings.maximumPauseDays).contains(pause.days) else {
            throw BillingError.invalidField(field: "days", reason: "must be 1 to \(settings.maximumPauseDays)")
        }
        guard pause.startsOn >= today else { throw BillingError.invalidField(field: "startsOn", reason: "must be today or later") }
        return try await self.idempotency.perform("pause", caller: Self.caller(owner), token: idempotency) { tx in
            let (now, today) = (self.clock.now(), self.today)
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            try await AccountStore.lock(customerID: customerID, in: tx)
            guard let subscription = try await SubscriptionStore.find(id: pause.subscriptionId, customerID: customerID, today: today, in: tx) else {
                throw BillingError.notFound
            }
            guard subscription.status == .active || subscription.status == .paused else {
                throw BillingError.conflict(reason: "only an active subscription can be paused")
            }
            let window = SubscriptionTerms.DayRange(from: pause.startsOn, before: pause.startsOn.adding(days: pause.days))
            let overlapping = try await tx.first(
                "SELECT 1 AS one FROM subscription_pauses WHERE subscription_id = $1 AND starts_on < $2 AND ends_before > $3", subscription.id,
                window.before.dayNumber, window.from.dayNumber)
            guard overlapping == nil else { throw BillingError.conflict(reason: "the subscription is paused on some of those days") }
            let credit = try await self.billedAmount(subscriptionID: subscription.id, window: window, in: tx)
            try await tx.query(
                "INSERT INTO subscription_pauses (id, subscription_id, starts_on, ends_before, created_at) VALUES ($1, $2, $3, $4, $5)",
                Identifier<SubscriptionPause>.generate().rawValue, subscription.id, window.from.dayNumber, window.before.dayNumber, now)
            if window.from <= today {
                try await tx.query("UPDATE subscriptions SET status = 'paused' WHERE id = $1 AND status = 'active'", subscription.id)
            }
            if credit.amount > 0 {
                try await self.postCredit(
                    credit, customerID: customerID, description: LocalizedText(ru: "Возврат за дни паузы", en: "Credit for paused days"), at: now,
                    in: tx)
                try await self.applyDebt(customerID: customerID, at: now, in: tx)
            }
            try await Outbox.append(
                SubscriptionPaused(
                    subscriptionId: subscription.id, customerId: customerID, startsOn: window.from, endsOn: window.before.adding(days: -1)),
                at: now, in: tx)
            return try await SubscriptionStore.find(id: subscription.id, customerID: nil, today: today, in: tx)!
        }
    }
}

/// A tariff change's preview with the VAT of its credit and charge, for the ledger.
private struct PricedChange: Sendable {
    var preview: TariffChangePreview
    var creditVAT: Int64
    var chargeVAT: Int64
    var effectiveOn: LocalDate { preview.effectiveOn }
    var credit: Money { preview.credit }
    var charge: Money { preview.charge }
}
