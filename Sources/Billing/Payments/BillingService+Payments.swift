import Contracts
import Foundation
import Kernel
import Logging
import Storage

// Payments as one unit: a customer pays an invoice from the balance (BalancePayment) or starts a provider payment,
// pending until the provider's signed notification; operators record cash and bank transfers and refund. Money that
// arrives goes to the balance, then to the invoice it was for (receive). Every call that moves money is idempotent.
extension BillingService {
    /// Pays an invoice from the balance, or starts a payment (invoice or top-up) through a provider.
    public func pay(of owner: AccountOwner, _ order: PaymentOrder, idempotency: IdempotencyToken) async throws -> Payment {
        if let amount = order.amount { try requirePositive(amount, field: "amount") }
        var statement: (IdempotentSQL, [SQLValue])?
        if order.method == .balance, let invoiceID = order.invoiceId {
            statement = try balancePaymentStatement(owner: owner, invoiceID: invoiceID, amount: order.amount)
        }
        return try await self.idempotency.perform("pay", caller: Self.caller(owner), token: idempotency, statement: statement) { tx in
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            switch order.method {
            case .balance:
                guard let invoiceID = order.invoiceId else {
                    throw BillingError.invalidField(field: "invoiceId", reason: "a balance payment settles an invoice")
                }
                return try await self.payFromBalance(customerID: customerID, invoiceID: invoiceID, amount: order.amount, in: tx)
            case .provider:
                return try await self.startProviderPayment(customerID: customerID, order: order, in: tx)
            case .cash, .bankTransfer:
                throw BillingError.invalidField(field: "method", reason: "cash and bank transfers are entered by operators")
            }
        }
    }

    /// The amount a payment of `invoice` takes: `requested`, or all that is due; throws unless the invoice is payable.
    func payableAmount(of invoice: Invoice, requested: Money?) throws -> Int64 {
        guard invoice.status == .issued else { throw BillingError.invoiceNotPayable(status: invoice.status.rawValue) }
        let amount = requested?.minorUnits ?? invoice.amountDue.minorUnits
        guard amount > 0, amount <= invoice.amountDue.minorUnits else {
            throw BillingError.invalidField(field: "amount", reason: "must be positive and at most the amount due")
        }
        return amount
    }

    private func startProviderPayment(customerID: String, order: PaymentOrder, in tx: any SQLExecutor) async throws -> Payment {
        let now = clock.now()
        let name = order.provider ?? "sandbox"
        let provider = try providers.named(name)
        let amount: Int64
        var text = LocalizedText(ru: "Пополнение баланса", en: "Balance top-up")
        if let invoiceID = order.invoiceId {
            guard let invoice = try await InvoiceStore.find(id: invoiceID, customerID: customerID, currency: settings.currency, in: tx) else {
                throw BillingError.notFound
            }
            amount = try payableAmount(of: invoice, requested: order.amount)
            text = LocalizedText(ru: "Оплата счёта \(invoice.number)", en: "Invoice \(invoice.number)")
        } else {
            guard let requested = order.amount else { throw BillingError.invalidField(field: "amount", reason: "a top-up needs an amount") }
            amount = requested.minorUnits
        }
        let id = Identifier<Payment>.generate().rawValue
        let locale = try await AccountStore.locale(customerID: customerID, in: tx)
        let url: String
        do {
            url = try await provider.checkout(
                ProviderCheckoutRequest(paymentID: id, amount: money(amount), description: text.text(for: locale), returnURL: order.returnURL))
        } catch let error as BillingError {
            throw error
        } catch {
            logger.warning("provider checkout failed", metadata: ["provider": "\(name)", "error": "\(error)"])
            throw BillingError.providerUnavailable(provider: name)
        }
        let payment = Payment(
            id: id, customerId: customerID, invoiceId: order.invoiceId, amount: money(amount), method: .provider, provider: name, status: .pending,
            refundedAmount: money(0), confirmationURL: url, createdAt: now)
        try await PaymentStore.insert(payment, reference: nil, createdBy: nil, in: tx)
        try await Outbox.append(PaymentCreated(payment), at: now, in: tx)
        return payment
    }

    /// Applies a provider's signed notification; a repeat finds the payment settled and changes nothing.
    public func handleProviderNotification(provider name: String, body: [UInt8], signature: String?) async throws {
        let provider = try providers.named(name)
        let notification = try provider.verify(body: body, signature: signature)
        let (now, currency) = (clock.now(), settings.currency)
        try await database.transaction { tx in
            guard let payment = try await PaymentStore.find(id: notification.paymentId, customerID: nil, currency: currency, in: tx),
                payment.provider == name
            else { throw BillingError.notFound }
            guard notification.amount == payment.amount.minorUnits else {
                throw BillingError.invalidField(field: "amount", reason: "differs from the payment's")
            }
            let status: PaymentStatus = notification.outcome == .succeeded ? .succeeded : .failed
            guard let settled = try await PaymentStore.settle(id: payment.id, status: status, at: now, currency: currency, in: tx) else { return }
            if status == .succeeded {
                try await self.receive(settled, from: .clearing("provider:" + name), at: now, in: tx)
            } else {
                try await Outbox.append(
                    PaymentFailed(paymentId: settled.id, customerId: settled.customerId, amount: settled.amount, reason: "declined"), at: now, in: tx)
            }
        }
    }

    /// Books money that arrived: clearing → balance, then, for an invoice, balance → invoice for what it still owes;
    /// lifts a suspension when the balance is back above minus the credit limit.
    func receive(_ payment: Payment, from clearing: LedgerAccount, at time: Date, in tx: any SQLExecutor) async throws {
        let amount = payment.amount.minorUnits
        try await LedgerStore.post(
            LedgerPosting(
                kind: AccountTransaction.Kind.payment.rawValue, customerID: payment.customerId, invoiceID: payment.invoiceId,
                paymentID: payment.id, description: Self.paymentText(payment.method),
                entries: [LedgerEntryDraft(clearing, -amount), LedgerEntryDraft(.customer, amount)]), at: time, in: tx)
        try await Outbox.append(PaymentSucceeded(payment), at: time, in: tx)
        if let invoiceID = payment.invoiceId,
            let invoice = try await InvoiceStore.find(id: invoiceID, customerID: payment.customerId, currency: settings.currency, in: tx),
            invoice.status == .issued
        {
            let applied = min(amount, invoice.amountDue.minorUnits)
            if applied > 0 {
                try await LedgerStore.post(
                    LedgerPosting(
                        kind: AccountTransaction.Kind.charge.rawValue, customerID: payment.customerId, invoiceID: invoiceID, paymentID: payment.id,
                        description: LocalizedText(ru: "Оплата счёта \(invoice.number)", en: "Invoice \(invoice.number) paid"),
                        entries: [LedgerEntryDraft(.customer, -applied), LedgerEntryDraft(.receivable, applied, invoiceID: invoiceID)]), at: time,
                    in: tx)
                _ = try await InvoiceStore.applyPayment(invoiceID: invoiceID, amount: applied, currency: settings.currency, at: time, in: tx)
            }
        }
        try await self.applyDebt(customerID: payment.customerId, at: time, in: tx)
    }

    /// The statement line of money received by `method`.
    static func paymentText(_ method: PaymentMethod) -> LocalizedText {
        switch method {
        case .cash: LocalizedText(ru: "Оплата наличными", en: "Cash payment")
        case .bankTransfer: LocalizedText(ru: "Банковский перевод", en: "Bank transfer")
        case .provider: LocalizedText(ru: "Онлайн-оплата", en: "Online payment")
        case .balance: LocalizedText(ru: "Оплата с баланса", en: "Paid from the balance")
        }
    }

    /// Records money an operator received (cash, bank transfer); it goes to the balance at once.
    public func recordPayment(_ input: ManualPayment, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment {
        try requirePositive(input.amount, field: "amount")
        guard input.method == .cash || input.method == .bankTransfer else {
            throw BillingError.invalidField(field: "method", reason: "must be cash or bank_transfer")
        }
        return try await self.idempotency.perform("record-payment", caller: "operator:" + operatorID, token: idempotency) { tx in
            let now = self.clock.now()
            _ = try await AccountStore.customerID(of: .customer(input.customerId), in: tx)
            let payment = Payment(
                id: Identifier<Payment>.generate().rawValue, customerId: input.customerId, invoiceId: nil, amount: input.amount, method: input.method,
                provider: nil, status: .succeeded, refundedAmount: self.money(0), confirmationURL: nil, createdAt: now)
            try await PaymentStore.insert(payment, reference: input.reference, createdBy: operatorID, in: tx)
            try await Outbox.append(PaymentCreated(payment), at: now, in: tx)
            try await self.receive(payment, from: .clearing(input.method.rawValue), at: now, in: tx)
            return payment
        }
    }

    /// Returns money of a succeeded payment, in full or in part, from the balance back to where it came from.
    public func refund(_ input: RefundRequest, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment {
        try requirePositive(input.amount, field: "amount")
        guard !input.reason.isEmpty else { throw BillingError.invalidField(field: "reason", reason: "must not be empty") }
        return try await self.idempotency.perform("refund", caller: "operator:" + operatorID, token: idempotency) { tx in
            let (now, currency) = (self.clock.now(), self.settings.currency)
            guard let payment = try await PaymentStore.find(id: input.paymentId, customerID: nil, currency: currency, in: tx) else {
                throw BillingError.notFound
            }
            let clearing: LedgerAccount
            switch payment.method {
            case .balance: return try await self.refundToBalance(payment, amount: input.amount.minorUnits, at: now, in: tx)
            case .provider: clearing = .clearing("provider:" + (payment.provider ?? ""))
            case .cash, .bankTransfer: clearing = .clearing(payment.method.rawValue)
            }
            guard
                let refunded = try await PaymentStore.addRefund(
                    id: payment.id, amount: input.amount.minorUnits, at: now, currency: currency, in: tx)
            else { throw BillingError.conflict(reason: "the payment is not refundable by that amount") }
            try await LedgerStore.post(
                LedgerPosting(
                    kind: AccountTransaction.Kind.refund.rawValue, customerID: payment.customerId, paymentID: payment.id,
                    description: LocalizedText(ru: "Возврат платежа", en: "Refund"),
                    entries: [LedgerEntryDraft(.customer, -input.amount.minorUnits), LedgerEntryDraft(clearing, input.amount.minorUnits)],
                    floor: .zero),
                at: now, in: tx)
            if payment.method == .provider, let provider = self.providers[payment.provider ?? ""] {
                try await provider.refund(paymentID: payment.id, amount: input.amount)
            }
            try await Outbox.append(
                PaymentRefunded(paymentId: payment.id, customerId: payment.customerId, amount: input.amount, refundedTotal: refunded.refundedAmount),
                at: now, in: tx)
            return refunded
        }
    }

    /// Refunds a payment made from the balance by reversing its allocation: the amount leaves the invoice and returns
    /// to the balance (receivable −x / customer +x), the invoice owes it again (a paid one is issued again), and no
    /// money leaves the company. An overdue invoice's payments are final: its rest was charged to the balance already.
    private func refundToBalance(_ payment: Payment, amount: Int64, at now: Date, in tx: any SQLExecutor) async throws -> Payment {
        guard let invoiceID = payment.invoiceId else { throw BillingError.conflict(reason: "the payment settled no invoice") }
        try await AccountStore.lock(customerID: payment.customerId, in: tx)
        let reopened = try await tx.query(
            """
            UPDATE invoices SET amount_paid = amount_paid - $1, status = 'issued'
            WHERE id = $2 AND status IN ('issued', 'paid') AND amount_paid >= $1 RETURNING number
            """,
            amount, invoiceID)
        guard let number = try reopened.first?.string("number") else {
            throw BillingError.conflict(reason: "the invoice's payments are final (it is overdue)")
        }
        guard let refunded = try await PaymentStore.addRefund(id: payment.id, amount: amount, at: now, currency: settings.currency, in: tx) else {
            throw BillingError.conflict(reason: "the payment is not refundable by that amount")
        }
        try await LedgerStore.post(
            LedgerPosting(
                kind: AccountTransaction.Kind.refund.rawValue, customerID: payment.customerId, invoiceID: invoiceID, paymentID: payment.id,
                description: LocalizedText(ru: "Возврат оплаты счёта \(number) на баланс", en: "Invoice \(number) payment returned to the balance"),
                entries: [LedgerEntryDraft(.receivable, -amount, invoiceID: invoiceID), LedgerEntryDraft(.customer, amount)]),
            at: now, in: tx)
        try await Outbox.append(
            PaymentRefunded(paymentId: payment.id, customerId: payment.customerId, amount: money(amount), refundedTotal: refunded.refundedAmount),
            at: now, in: tx)
        try await applyDebt(customerID: payment.customerId, at: now, in: tx)
        return refunded
    }

    /// One payment.
    public func payment(id: String, of owner: AccountOwner) async throws -> Payment {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        guard let payment = try await PaymentStore.find(id: id, customerID: customerID, currency: settings.currency, in: database) else {
            throw BillingError.notFound
        }
        return payment
    }

    /// The sandbox confirmation page's data for a pending payment of the signed-in customer (or any, for operators).
    public func sandboxConfirmationPage(paymentID: String, of owner: AccountOwner?) async throws -> SandboxProvider.ConfirmationPage {
        var customerID: String?
        if let owner { customerID = try await AccountStore.customerID(of: owner, in: database) }
        guard let payment = try await PaymentStore.find(id: paymentID, customerID: customerID, currency: settings.currency, in: database),
            payment.provider == "sandbox", let sandbox = providers.sandbox
        else { throw BillingError.notFound }
        return sandbox.confirmationPage(for: payment)
    }
}

extension PaymentCreated {
    /// The event of `payment` being made: every way of paying writes it from the payment itself.
    init(_ payment: Payment) {
        self.init(paymentId: payment.id, customerId: payment.customerId, invoiceId: payment.invoiceId, amount: payment.amount, method: payment.method)
    }
}

extension PaymentSucceeded {
    /// The event of `payment`'s money arriving, from the payment itself.
    init(_ payment: Payment) {
        self.init(paymentId: payment.id, customerId: payment.customerId, invoiceId: payment.invoiceId, amount: payment.amount, method: payment.method)
    }
}
