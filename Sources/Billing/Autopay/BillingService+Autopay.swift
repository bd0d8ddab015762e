import Acquiring
import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import Storage

// Autopay: an issued invoice (`invoice.created`), or a balance under the customer's threshold, schedules a charge of
// the saved method — at most one per invoice or per day, whatever the events repeat — and tells the customer
// (`autopay.scheduled`); ``PaymentSettings/autopayNotice`` later the AutopayJob charges it as a provider payment
// (the same saga: no provider call in a transaction). A failure is told (`autopay.failed`, with a promised payment
// offered when one would keep the customer connected); after too many in a row autopay turns itself off.
extension BillingService {
    /// Schedules the charge of every issued invoice of an account with autopay on.
    public func autopayConsumer() -> EventConsumer {
        EventConsumer(name: "billing.autopay", types: [InvoiceCreated.type]) { envelope, tx in
            let event = try envelope.decode(InvoiceCreated.self)
            guard event.total.isPositive else { return }
            try await self.schedule(
                id: "invoice:" + event.invoiceId, customerID: event.customerId, invoiceID: event.invoiceId, amount: event.total.minorUnits, in: tx)
        }
    }

    private func schedule(id: String, customerID: String, invoiceID: String?, amount: Int64, in tx: any SQLExecutor) async throws {
        guard let settings = try await AutopayStore.settings(customerID: customerID, in: tx), settings.enabled,
            let method = try await SavedMethodStore.find(id: settings.methodID, customerID: customerID, in: tx)?.method
        else { return }
        let now = clock.now()
        let chargeAt = now.addingTimeInterval(paymentSettings.autopayNotice)
        guard
            try await AutopayStore.schedule(
                id: id, customerID: customerID, invoiceID: invoiceID, methodID: method.id, amount: amount, chargeAt: chargeAt, at: now, in: tx)
        else { return }
        try await Outbox.append(
            AutopayScheduled(customerId: customerID, invoiceId: invoiceID, amount: money(amount), methodTitle: method.title, chargeAt: chargeAt),
            at: now, in: tx)
    }

    /// One round of autopay: schedules threshold top-ups, starts the charges that are due and books the outcome of
    /// those that ended. Returns how many charges it started.
    @discardableResult
    public func runAutopay() async throws -> Int {
        let now = clock.now()
        let day = LocalDate(containing: now, in: settings.timeZone).description
        for (customerID, row) in try await AutopayStore.underThreshold(day: day, limit: paymentSettings.reconcileBatch, in: database) {
            guard let amount = row.topUpAmount else { continue }
            try await database.transaction { tx in
                try await self.schedule(id: "threshold:\(customerID):\(day)", customerID: customerID, invoiceID: nil, amount: amount, in: tx)
            }
        }
        var started = 0
        for charge in try await AutopayStore.due(by: now, limit: paymentSettings.reconcileBatch, in: database) {
            do {
                if charge.status == "scheduled" {
                    guard let paymentID = try await start(charge) else { continue }
                    started += 1
                    _ = try? await advance(paymentID: paymentID)
                    try await book(charge, paymentID: paymentID)
                } else if let paymentID = charge.paymentID {
                    try await book(charge, paymentID: paymentID)
                }
            } catch {
                logger.warning("autopay charge not done", metadata: ["charge": "\(charge.id)", "error": "\(error)"])
            }
        }
        return started
    }

    /// Claims a due charge and records its payment as pending; `nil` when there is nothing to charge any more.
    private func start(_ charge: AutopayStore.Charge) async throws -> String? {
        try await database.transaction { tx in
            let now = self.clock.now()
            var amount = charge.amount
            if let invoiceID = charge.invoiceID {
                guard
                    let invoice = try await InvoiceStore.find(id: invoiceID, customerID: charge.customerID, currency: self.settings.currency, in: tx),
                    invoice.status == .issued, invoice.amountDue.isPositive
                else {
                    _ = try await AutopayStore.finish(id: charge.id, status: "skipped", in: tx)
                    return nil
                }
                amount = invoice.amountDue.minorUnits
            }
            guard let (method, token) = try await SavedMethodStore.find(id: charge.methodID, customerID: charge.customerID, in: tx) else {
                _ = try await AutopayStore.finish(id: charge.id, status: "skipped", in: tx)
                return nil
            }
            let id = Identifier<Payment>.generate().rawValue
            guard try await AutopayStore.claim(id: charge.id, paymentID: id, in: tx) else { return nil }
            let order = PaymentOrder(invoiceId: charge.invoiceID, amount: self.money(amount), method: .provider, provider: method.provider)
            let (_, receipt) = try await self.amountAndReceipt(of: order, customerID: charge.customerID, at: now, in: tx)
            let request = StoredProviderRequest(receipt: receipt, returnURL: nil, method: nil, savedToken: token, saveMethod: false)
            _ = try await self.recordPendingPayment(
                id: id, customerID: charge.customerID, invoiceID: charge.invoiceID, amount: amount, provider: method.provider, request: request,
                reference: "autopay", at: now, in: tx)
            return id
        }
    }

    /// Books a charge whose payment ended: success resets the failures; a failure counts, is told, and may stop autopay.
    private func book(_ charge: AutopayStore.Charge, paymentID: String) async throws {
        guard let payment = try await PaymentStore.find(id: paymentID, customerID: nil, currency: settings.currency, in: database),
            payment.status != .pending
        else { return }
        let offer = payment.status == .failed ? try? await promisedPaymentOffer(of: .customer(charge.customerID)) : nil
        try await database.transaction { tx in
            if payment.status == .failed {
                guard try await AutopayStore.finish(id: charge.id, status: "failed", in: tx) else { return }
                let stopped = try await AutopayStore.recordFailure(
                    customerID: charge.customerID, maximum: self.paymentSettings.autopayMaximumFailures, at: self.clock.now(), in: tx)
                try await Outbox.append(
                    AutopayFailed(
                        customerId: charge.customerID, invoiceId: charge.invoiceID, amount: payment.amount, reason: payment.failureReason ?? "failed",
                        stopped: stopped, promisedPaymentOffered: offer?.isAvailable ?? false),
                    at: self.clock.now(), in: tx)
            } else {
                guard try await AutopayStore.finish(id: charge.id, status: "succeeded", in: tx) else { return }
                try await AutopayStore.resetFailures(customerID: charge.customerID, in: tx)
            }
        }
    }
}
