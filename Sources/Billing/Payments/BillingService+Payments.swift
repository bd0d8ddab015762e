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
        switch order.method {
        case .provider:
            return try await startProviderPayment(of: owner, order, idempotency: idempotency)
        case .cash, .bankTransfer:
            throw BillingError.invalidField(field: "method", reason: "cash and bank transfers are entered by operators")
        case .balance:
            guard let invoiceID = order.invoiceId else {
                throw BillingError.invalidField(field: "invoiceId", reason: "a balance payment settles an invoice")
            }
            let statement = try balancePaymentStatement(owner: owner, invoiceID: invoiceID, amount: order.amount)
            return try await self.idempotency.perform("pay", caller: Self.caller(owner), token: idempotency, statement: statement) { tx in
                let customerID = try await AccountStore.customerID(of: owner, in: tx)
                return try await self.payFromBalance(customerID: customerID, invoiceID: invoiceID, amount: order.amount, in: tx)
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

    /// Refunds a payment made from the balance by reversing its allocation: the amount leaves the invoice and returns
    /// to the balance (receivable −x / customer +x), the invoice owes it again (a paid one is issued again), and no
    /// money leaves the company. An overdue invoice's payments are final: its rest was charged to the balance already.
    func refundToBalance(_ payment: Payment, amount: Int64, at now: Date, in tx: any SQLExecutor) async throws -> Payment {
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
