import Foundation
import Kernel

/// Where an invoice stands.
public enum InvoiceStatus: String, Codable, Sendable, CaseIterable {
    /// Issued, not yet paid in full.
    case issued
    /// Paid in full.
    case paid
    /// Unpaid past its due day and grace.
    case overdue
    /// Cancelled; owes nothing.
    case void
}

/// An invoice as lists show it.
public struct Invoice: Codable, Sendable, Hashable {
    /// The invoice's id.
    public var id: String
    /// Human number (`2026-12-000123`).
    public var number: String
    /// The customer.
    public var customerId: String
    /// The period it bills.
    public var period: BillingPeriod
    /// Standing.
    public var status: InvoiceStatus
    /// Total, VAT included.
    public var total: Money
    /// VAT within the total.
    public var vat: Money
    /// What is still unpaid.
    public var amountDue: Money
    /// When it was issued.
    public var issuedAt: Date
    /// Last day to pay before it is overdue.
    public var dueOn: LocalDate

    /// Creates an invoice.
    public init(
        id: String, number: String, customerId: String, period: BillingPeriod, status: InvoiceStatus, total: Money, vat: Money,
        amountDue: Money, issuedAt: Date, dueOn: LocalDate
    ) {
        self.id = id
        self.number = number
        self.customerId = customerId
        self.period = period
        self.status = status
        self.total = total
        self.vat = vat
        self.amountDue = amountDue
        self.issuedAt = issuedAt
        self.dueOn = dueOn
    }
}

/// One charge on an invoice.
public struct InvoiceLine: Codable, Sendable, Hashable {
    /// The subscription charged.
    public var subscriptionId: String
    /// The tariff charged.
    public var tariffId: String
    /// Description in the customer's language.
    public var description: String
    /// Days charged within the period.
    public var days: Int
    /// Days in the period.
    public var periodDays: Int
    /// Amount, VAT included.
    public var amount: Money
    /// VAT within the amount.
    public var vat: Money
    /// The VAT rate in percent, `nil` when exempt.
    public var vatRatePercent: Int?

    /// Creates a line.
    public init(
        subscriptionId: String, tariffId: String, description: String, days: Int, periodDays: Int, amount: Money, vat: Money,
        vatRatePercent: Int?
    ) {
        self.subscriptionId = subscriptionId
        self.tariffId = tariffId
        self.description = description
        self.days = days
        self.periodDays = periodDays
        self.amount = amount
        self.vat = vat
        self.vatRatePercent = vatRatePercent
    }
}

/// An invoice with its lines and payments.
public struct InvoiceDetail: Codable, Sendable, Hashable {
    /// The invoice.
    public var invoice: Invoice
    /// Its lines.
    public var lines: [InvoiceLine]
    /// Ids of payments applied to it.
    public var paymentIds: [String]

    /// Creates the detail.
    public init(invoice: Invoice, lines: [InvoiceLine], paymentIds: [String]) {
        self.invoice = invoice
        self.lines = lines
        self.paymentIds = paymentIds
    }
}

/// A monthly run's progress or result.
public struct BillingRun: Codable, Sendable, Hashable {
    /// Where a run stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Working.
        case running
        /// Finished.
        case completed
        /// Stopped by an error; starting it again resumes.
        case failed
    }

    /// The run's id.
    public var id: String
    /// The period billed.
    public var period: BillingPeriod
    /// Whether it only computed totals without writing invoices.
    public var dryRun: Bool
    /// Standing.
    public var status: Status
    /// Subscriptions to bill.
    public var subscriptionsTotal: Int
    /// Subscriptions billed so far.
    public var subscriptionsProcessed: Int
    /// Invoices created (or that would be, in a dry run).
    public var invoicesCreated: Int
    /// Sum of those invoices.
    public var totalAmount: Money
    /// Start time.
    public var startedAt: Date
    /// End time.
    public var finishedAt: Date?
    /// What stopped it, for a failed run.
    public var error: String?

    /// Creates a run record.
    public init(
        id: String, period: BillingPeriod, dryRun: Bool, status: Status, subscriptionsTotal: Int, subscriptionsProcessed: Int,
        invoicesCreated: Int, totalAmount: Money, startedAt: Date, finishedAt: Date?, error: String?
    ) {
        self.id = id
        self.period = period
        self.dryRun = dryRun
        self.status = status
        self.subscriptionsTotal = subscriptionsTotal
        self.subscriptionsProcessed = subscriptionsProcessed
        self.invoicesCreated = invoicesCreated
        self.totalAmount = totalAmount
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
    }
}
