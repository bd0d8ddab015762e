import Acquiring
import Contracts
import Foundation
import Kernel
import Storage

// The fiscal receipt (54-ФЗ) of a provider payment, made before any money moves: a receipt that cannot be made
// refuses the payment. An invoice paid in full prints its lines (services, fully paid, at each line's VAT rate); a
// part of an invoice prints one line at the invoice's rate; a top-up is an advance at the calculated rate of the tax
// date (22/122 from 2026). Receipts are printed in Russian whatever the customer's language.
extension BillingService {
    /// The amount an order pays and its receipt; throws unless the invoice is payable and a contact for the receipt is
    /// known (the order's, else the one kept from the customer's last provider payment or their account).
    func amountAndReceipt(of order: PaymentOrder, customerID: String, at now: Date, in tx: any SQLExecutor) async throws -> (Int64, FiscalReceipt) {
        var items: [FiscalItem]
        let amount: Int64
        if let invoiceID = order.invoiceId {
            guard let invoice = try await InvoiceStore.find(id: invoiceID, customerID: customerID, currency: settings.currency, in: tx) else {
                throw BillingError.notFound
            }
            amount = try payableAmount(of: invoice, requested: order.amount)
            let detail = try await InvoiceStore.detail(invoice, locale: "ru", currency: settings.currency, in: tx)
            items = Self.invoiceItems(detail, amount: amount)
        } else {
            guard let requested = order.amount else { throw BillingError.invalidField(field: "amount", reason: "a top-up needs an amount") }
            amount = requested.minorUnits
            guard let vat = FiscalVAT.of(VATRate.rate(on: now, timeZone: settings.timeZone), calculated: true) else {
                throw BillingError.invalidField(field: "amount", reason: "no receipt VAT code for the tax date")
            }
            items = [
                FiscalItem(description: "Пополнение лицевого счёта", quantity: 1, price: money(amount), vat: vat, subject: .payment, mode: .advance)
            ]
        }
        let contact = try await receiptContact(of: order, customerID: customerID, in: tx)
        let receipt = FiscalReceipt(customer: contact, items: items, taxSystem: paymentSettings.taxSystem)
        if let problem = receipt.problem(forAmount: money(amount)) { throw BillingError.invalidField(field: "receipt", reason: problem) }
        return (amount, receipt)
    }

    /// An invoice's lines when `amount` pays all of it, else one line for the part paid.
    static func invoiceItems(_ detail: InvoiceDetail, amount: Int64) -> [FiscalItem] {
        let invoice = detail.invoice
        let lines = detail.lines
        let whole =
            amount == invoice.total.minorUnits && lines.allSatisfy { $0.amount.isPositive }
            && lines.reduce(Int64(0)) { $0 &+ $1.amount.minorUnits } == amount
        func vat(_ percent: Int?) -> FiscalVAT { FiscalVAT.of(percent.map { VATRate(percent: Int64($0)) }, calculated: false) ?? .none }
        if whole {
            return lines.map { line in
                FiscalItem(
                    description: String(line.description.prefix(FiscalReceipt.maximumDescriptionLength)), quantity: 1, price: line.amount,
                    vat: vat(line.vatRatePercent), subject: .service, mode: .fullPayment)
            }
        }
        let largest = lines.max { $0.amount.minorUnits < $1.amount.minorUnits }
        return [
            FiscalItem(
                description: "Оплата счёта \(invoice.number)", quantity: 1, price: Money(minorUnits: amount, currency: invoice.total.currency),
                vat: vat(largest?.vatRatePercent), subject: .service, mode: .fullPayment)
        ]
    }

    /// Where the receipt goes: the order's e-mail or phone (kept on the account for next time), else the kept one.
    private func receiptContact(of order: PaymentOrder, customerID: String, in tx: any SQLExecutor) async throws -> FiscalCustomer {
        if order.receiptEmail != nil || order.receiptPhone != nil {
            try await tx.query(
                "UPDATE billing_accounts SET receipt_email = $1, receipt_phone = $2 WHERE customer_id = $3", order.receiptEmail, order.receiptPhone,
                customerID)
            return FiscalCustomer(email: order.receiptEmail, phone: order.receiptPhone)
        }
        let row = try await tx.query("SELECT receipt_email, receipt_phone FROM billing_accounts WHERE customer_id = $1", customerID).first
        let contact = FiscalCustomer(email: try row?.optionalString("receipt_email"), phone: try row?.optionalString("receipt_phone"))
        guard contact.email != nil || contact.phone != nil else {
            throw BillingError.invalidField(field: "receiptEmail", reason: "a fiscal receipt needs the customer's e-mail or phone")
        }
        return contact
    }
}
