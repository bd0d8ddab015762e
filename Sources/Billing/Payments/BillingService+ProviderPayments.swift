import Acquiring
import Contracts
import Foundation
import Kernel
import Logging
import Storage

// A provider payment is a saga, never a call inside a transaction: (1) the payment is recorded as pending with the
// provider's idempotency key and the exact request (one short transaction, under the customer's Idempotency-Key);
// (2) the provider is called with no transaction open; (3) its answer is recorded in a second transaction. A crash or
// a timeout between the steps leaves a pending payment that a retry of the same request, the provider's notification
// or the reconciliation job (ProviderSagaJob) carries on from where it stopped, asking the provider what it did.
extension BillingService {
    /// Starts a payment (an invoice or a top-up) through a provider; answers the payment with its confirmation URL.
    func startProviderPayment(of owner: AccountOwner, _ order: PaymentOrder, idempotency: IdempotencyToken) async throws -> Payment {
        var saved: (method: SavedPaymentMethod, token: String)?
        if let methodID = order.savedMethodId {
            let customerID = try await AccountStore.customerID(of: owner, in: database)
            saved = try await SavedMethodStore.find(id: methodID, customerID: customerID, in: database)
            guard let saved, order.provider == nil || order.provider == saved.method.provider else {
                throw BillingError.invalidField(field: "savedMethodId", reason: "not a saved method of this account with this provider")
            }
        }
        let savedToken = saved?.token
        let provider = try providers.named(saved?.method.provider ?? order.provider)
        let name = provider.name
        try validate(order, for: provider.offer)
        let payment = try await self.idempotency.perform("pay", caller: Self.caller(owner), token: idempotency) { tx in
            let now = self.clock.now()
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            let id = Identifier<Payment>.generate().rawValue
            let (amount, receipt) = try await self.amountAndReceipt(of: order, customerID: customerID, at: now, in: tx)
            let request = StoredProviderRequest(
                receipt: receipt, returnURL: order.returnURL, method: savedToken == nil ? order.onlineMethod ?? .card : nil,
                savedToken: savedToken, saveMethod: savedToken == nil && order.saveMethod == true)
            return try await self.recordPendingPayment(
                id: id, customerID: customerID, invoiceID: order.invoiceId, amount: amount, provider: name, request: request, reference: nil,
                at: now, in: tx)
        }
        return try await advance(paymentID: payment.id)
    }

    /// Records a provider payment as pending with its provider key and the request to send (the saga's first step).
    func recordPendingPayment(
        id: String, customerID: String, invoiceID: String?, amount: Int64, provider: String, request: StoredProviderRequest,
        reference: String?, at now: Date, in tx: any SQLExecutor
    ) async throws -> Payment {
        let payment = Payment(
            id: id, customerId: customerID, invoiceId: invoiceID, amount: money(amount), method: .provider, provider: provider, status: .pending,
            refundedAmount: money(0), confirmationURL: nil, createdAt: now)
        try await PaymentStore.insert(
            payment, reference: reference, createdBy: nil, providerKey: Self.providerKey(paymentID: id),
            providerRequest: String(decoding: try JSONEncoder().encode(request), as: UTF8.self), in: tx)
        try await Outbox.append(PaymentCreated(payment), at: now, in: tx)
        return payment
    }

    /// The provider's idempotency key of a payment: the same on every retry, unique per payment.
    static func providerKey(paymentID: String) -> String { "lastmile-" + paymentID }

    /// The longest return URL taken.
    static let maximumReturnURLLength = 2048

    private func validate(_ order: PaymentOrder, for offer: ProviderOffer) throws {
        if let url = order.returnURL {
            guard url.utf8.count <= Self.maximumReturnURLLength, let parsed = URL(string: url), ["https", "http"].contains(parsed.scheme),
                parsed.host != nil
            else { throw BillingError.invalidField(field: "returnURL", reason: "must be an http(s) URL of at most 2048 bytes") }
        }
        if let method = order.onlineMethod, !offer.methods.map(\.rawValue).contains(method.rawValue) {
            throw BillingError.invalidField(field: "onlineMethod", reason: "\(offer.name) offers \(offer.methods.map(\.rawValue))")
        }
        if order.saveMethod == true, !offer.savesMethods {
            throw BillingError.invalidField(field: "saveMethod", reason: "\(offer.name) cannot save payment methods")
        }
        if let email = order.receiptEmail, email.count > 254 || !email.contains("@") {
            throw BillingError.invalidField(field: "receiptEmail", reason: "must be an e-mail address")
        }
        if let phone = order.receiptPhone, !(phone.hasPrefix("+") && (8...16).contains(phone.count) && phone.dropFirst().allSatisfy(\.isNumber)) {
            throw BillingError.invalidField(field: "receiptPhone", reason: "must be a phone in E.164 (+79001234567)")
        }
    }

    /// Sends a pending payment's creation to its provider unless the provider answered it already, and records the
    /// answer. Repeating it is safe: the provider's idempotency key makes the provider answer the first payment.
    func advance(paymentID: String) async throws -> Payment {
        guard let record = try await PaymentStore.providerRecord(id: paymentID, currency: settings.currency, in: database) else {
            throw BillingError.notFound
        }
        guard record.payment.status == .pending, record.providerPaymentID == nil, let name = record.payment.provider,
            let provider = providers[name]
        else { return record.payment }
        let stored = try JSONDecoder().decode(StoredProviderRequest.self, from: Data(record.providerRequest.utf8))
        let request = stored.providerRequest(for: record.payment, key: record.providerKey)
        do {
            let answer = try await providers.call(provider, "createPayment") { provider async throws(ProviderError) in
                try await provider.createPayment(request)
            }
            return try await apply(answer, toPayment: paymentID)
        } catch let error as ProviderError {
            if case .refused(let code, let message) = error {
                logger.notice("provider refused a payment", metadata: ["provider": "\(name)", "payment": "\(paymentID)", "code": "\(code)"])
                return try await failPayment(id: paymentID, reason: "\(code): \(message)")
            }
            logger.warning("provider payment pending", metadata: ["provider": "\(name)", "payment": "\(paymentID)", "error": "\(error)"])
            throw BillingError.providerUnavailable(provider: name)
        }
    }

    /// Applies what the provider reports of a payment: its id and page while pending, the money when it succeeded,
    /// the failure when it was cancelled. A report that disagrees with the payment's amount changes nothing and is
    /// logged for the reconciliation to show.
    @discardableResult
    func apply(_ state: ProviderPayment, toPayment paymentID: String) async throws -> Payment {
        let currency = settings.currency
        return try await database.transaction { tx in
            let now = self.clock.now()
            guard let payment = try await PaymentStore.find(id: paymentID, customerID: nil, currency: currency, in: tx) else {
                throw BillingError.notFound
            }
            guard payment.status == .pending else { return payment }
            var url: String?
            if case .redirect(let link) = state.confirmation { url = link }
            if case .qrCode(let payload) = state.confirmation { url = payload }
            try await PaymentStore.recordProviderAnswer(
                id: paymentID, providerPaymentID: state.providerPaymentID, confirmationURL: url, at: now, in: tx)
            switch state.status {
            case .pending, .waitingForCapture:
                return try await PaymentStore.find(id: paymentID, customerID: nil, currency: currency, in: tx) ?? payment
            case .succeeded:
                guard state.amount == payment.amount else {
                    self.logger.error(
                        "provider reports another amount", metadata: ["payment": "\(paymentID)", "provider amount": "\(state.amount)"])
                    return payment
                }
                guard let settled = try await PaymentStore.settle(id: paymentID, status: .succeeded, at: now, currency: currency, in: tx) else {
                    return payment
                }
                try await self.receive(settled, from: .clearing("provider:" + (payment.provider ?? "")), at: now, in: tx)
                if let method = state.savedMethod {
                    try await SavedMethodStore.save(
                        customerID: payment.customerId, provider: payment.provider ?? "", details: method, at: now, in: tx)
                }
                return settled
            case .canceled:
                guard
                    let failed = try await PaymentStore.fail(
                        id: paymentID, reason: state.failureReason ?? "canceled", at: now, currency: currency, in: tx)
                else { return payment }
                try await Outbox.append(
                    PaymentFailed(
                        paymentId: failed.id, customerId: failed.customerId, amount: failed.amount, reason: state.failureReason ?? "canceled"),
                    at: now, in: tx)
                return failed
            }
        }
    }

    /// Fails a pending payment that the provider refused or never received.
    func failPayment(id: String, reason: String) async throws -> Payment {
        let currency = settings.currency
        return try await database.transaction { tx in
            let now = self.clock.now()
            guard let failed = try await PaymentStore.fail(id: id, reason: reason, at: now, currency: currency, in: tx) else {
                guard let payment = try await PaymentStore.find(id: id, customerID: nil, currency: currency, in: tx) else {
                    throw BillingError.notFound
                }
                return payment
            }
            try await Outbox.append(
                PaymentFailed(paymentId: failed.id, customerId: failed.customerId, amount: failed.amount, reason: reason), at: now, in: tx)
            return failed
        }
    }

    /// Asks the provider what became of a pending payment and applies it. A payment the provider never received is
    /// sent again while young, and failed once older than ``PaymentSettings/creationWindow``.
    @discardableResult
    func refresh(paymentID: String) async throws -> Payment {
        guard let record = try await PaymentStore.providerRecord(id: paymentID, currency: settings.currency, in: database) else {
            throw BillingError.notFound
        }
        guard record.payment.status == .pending, let name = record.payment.provider, let provider = providers[name] else {
            return record.payment
        }
        let reference = record.reference
        let state = try await providers.call(provider, "findPayment") { provider async throws(ProviderError) in
            try await provider.findPayment(reference)
        }
        if let state { return try await apply(state, toPayment: paymentID) }
        if record.providerPaymentID == nil {
            if clock.now().timeIntervalSince(record.payment.createdAt) > paymentSettings.creationWindow {
                return try await failPayment(id: paymentID, reason: "never reached the provider")
            }
            return try await advance(paymentID: paymentID)
        }
        logger.error("provider does not know a payment it answered", metadata: ["payment": "\(paymentID)", "provider": "\(name)"])
        return record.payment
    }

    /// Reads a provider's notification, asks the provider for the state of what it names and applies it.
    public func handleProviderNotification(_ input: ProviderNotificationInput) async throws -> String {
        guard let provider = providers[input.provider] else { throw BillingError.notFound }
        let notice: ProviderNotice
        do {
            notice = try provider.notification(ProviderNotification(body: input.body, headers: input.headers))
        } catch {
            throw BillingError.invalidSignature
        }
        if let providerRefundID = notice.providerRefundID,
            let refundID = try await RefundStore.id(provider: provider.name, providerRefundID: providerRefundID, in: database)
        {
            try await refreshRefund(id: refundID)
            return notice.acknowledgement
        }
        var paymentID = notice.paymentID
        if paymentID == nil, let providerPaymentID = notice.providerPaymentID {
            paymentID = try await PaymentStore.id(provider: provider.name, providerPaymentID: providerPaymentID, in: database)
        }
        guard let paymentID else { throw BillingError.notFound }
        do {
            let payment = try await refresh(paymentID: paymentID)
            // Some providers (T-Bank) tell a saved card's token only in their signed notification.
            if let method = notice.savedMethod, payment.status != .pending, payment.status != .failed, payment.provider == provider.name {
                try await database.transaction { tx in
                    try await SavedMethodStore.save(
                        customerID: payment.customerId, provider: provider.name, details: method, at: self.clock.now(), in: tx)
                }
            }
        } catch let error as ProviderError {
            logger.warning("provider lookup after a notification failed", metadata: ["payment": "\(paymentID)", "error": "\(error)"])
            throw BillingError.providerUnavailable(provider: provider.name)
        }
        return notice.acknowledgement
    }

    /// The providers customers may choose.
    public func paymentProviders() async throws -> [PaymentProviderInfo] {
        providers.offers.map { offer in
            PaymentProviderInfo(
                name: offer.name, titleRu: offer.title.ru, titleEn: offer.title.en,
                methods: offer.methods.compactMap { OnlineMethod(rawValue: $0.rawValue) }, savesMethods: offer.savesMethods)
        }
    }
}
