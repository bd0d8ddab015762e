import Kernel

/// A fiscal receipt (54-ФЗ) sent with a payment or refund: the provider's online cash register prints it and sends it
/// to the customer and the tax service. Built by billing, put on the wire by each provider in its own format.
public struct FiscalReceipt: Codable, Sendable, Hashable {
    /// Where the receipt is sent: the customer's e-mail or phone (at least one).
    public var customer: FiscalCustomer
    /// What was paid for; the amounts add up to the payment's (or refund's) amount.
    public var items: [FiscalItem]
    /// The seller's tax system, when the provider's register needs it said.
    public var taxSystem: FiscalTaxSystem?

    /// Creates a receipt.
    public init(customer: FiscalCustomer, items: [FiscalItem], taxSystem: FiscalTaxSystem?) {
        self.customer = customer
        self.items = items
        self.taxSystem = taxSystem
    }

    /// The sum of the items' amounts; `nil` when it overflows.
    public var total: Int64? {
        var sum: Int64 = 0
        for item in items {
            guard let amount = item.amount else { return nil }
            let (next, overflow) = sum.addingReportingOverflow(amount.minorUnits)
            if overflow { return nil }
            sum = next
        }
        return sum
    }

    /// The longest item text registers print.
    public static let maximumDescriptionLength = 128
    /// The most items a receipt may hold.
    public static let maximumItems = 100

    /// Checks what every register requires; returns why not, or `nil` when the receipt is sound for `amount`.
    public func problem(forAmount amount: Money) -> String? {
        if customer.email == nil && customer.phone == nil { return "the receipt needs the customer's e-mail or phone" }
        if items.isEmpty || items.count > Self.maximumItems { return "a receipt holds 1 to \(Self.maximumItems) items" }
        for item in items {
            if item.description.isEmpty || item.description.count > Self.maximumDescriptionLength {
                return "an item's text must be 1 to \(Self.maximumDescriptionLength) characters"
            }
            if item.quantity <= 0 || item.price.minorUnits <= 0 || item.price.currency != amount.currency {
                return "an item needs a positive quantity and price in \(amount.currency)"
            }
        }
        guard let total, total == amount.minorUnits else {
            return "the items add up to \(total.map(String.init) ?? "too much"), not \(amount.minorUnits)"
        }
        return nil
    }
}

/// Whom the receipt goes to.
public struct FiscalCustomer: Codable, Sendable, Hashable {
    /// E-mail.
    public var email: String?
    /// Phone in E.164 (`+79001234567`).
    public var phone: String?

    /// Creates the customer's contact.
    public init(email: String?, phone: String?) {
        self.email = email
        self.phone = phone
    }
}

/// One line of a receipt.
public struct FiscalItem: Codable, Sendable, Hashable {
    /// The text (at most 128 characters).
    public var description: String
    /// How many (whole units; services are 1).
    public var quantity: Int64
    /// The price of one, VAT included.
    public var price: Money
    /// The VAT rate printed for it.
    public var vat: FiscalVAT
    /// What is sold (признак предмета расчёта).
    public var subject: FiscalPaymentSubject
    /// How it is paid for (признак способа расчёта).
    public var mode: FiscalPaymentMode

    /// Creates an item.
    public init(description: String, quantity: Int64, price: Money, vat: FiscalVAT, subject: FiscalPaymentSubject, mode: FiscalPaymentMode) {
        self.description = description
        self.quantity = quantity
        self.price = price
        self.vat = vat
        self.subject = subject
        self.mode = mode
    }

    /// Price × quantity; `nil` when it overflows.
    public var amount: Money? {
        let (value, overflow) = price.minorUnits.multipliedReportingOverflow(by: quantity)
        return overflow ? nil : Money(minorUnits: value, currency: price.currency)
    }
}

/// The VAT rate printed on a receipt line. A payment in advance (a top-up) prints the calculated rate (22/122).
public enum FiscalVAT: String, Codable, Sendable, Hashable, CaseIterable {
    /// Без НДС.
    case none
    /// 0%.
    case vat0
    /// 5%.
    case vat5
    /// 7%.
    case vat7
    /// 10%.
    case vat10
    /// 20% (tax dates before 2026).
    case vat20
    /// 22% (tax dates from 2026).
    case vat22
    /// 5/105.
    case vat105
    /// 7/107.
    case vat107
    /// 10/110.
    case vat110
    /// 20/120.
    case vat120
    /// 22/122.
    case vat122

    /// The rate for `rate` (nil: без НДС), plain or calculated (for advances).
    public static func of(_ rate: VATRate?, calculated: Bool) -> FiscalVAT? {
        guard let rate else { return FiscalVAT.none }
        if rate.isZero { return .vat0 }
        let table: [(VATRate, FiscalVAT, FiscalVAT)] = [
            (VATRate(percent: 5), .vat5, .vat105), (VATRate(percent: 7), .vat7, .vat107), (VATRate(percent: 10), .vat10, .vat110),
            (VATRate(percent: 20), .vat20, .vat120), (VATRate(percent: 22), .vat22, .vat122),
        ]
        guard let row = table.first(where: { $0.0 == rate }) else { return nil }
        return calculated ? row.2 : row.1
    }
}

/// What is sold (тег 1212).
public enum FiscalPaymentSubject: String, Codable, Sendable, Hashable, CaseIterable {
    /// A service (услуга): internet access, rent of equipment.
    case service
    /// A payment (платёж): an advance not tied to a service yet, such as a balance top-up.
    case payment
    /// Goods (товар): a router sold.
    case commodity
}

/// How the item is paid for (тег 1214).
public enum FiscalPaymentMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// Paid in full before the service (полная предоплата).
    case fullPrepayment = "full_prepayment"
    /// An advance with no service named yet (аванс): a top-up.
    case advance
    /// Paid in full on or after the service (полный расчёт).
    case fullPayment = "full_payment"
}

/// The seller's tax system (тег 1055).
public enum FiscalTaxSystem: String, Codable, Sendable, Hashable, CaseIterable {
    /// ОСН.
    case general = "osn"
    /// УСН доходы.
    case simplifiedIncome = "usn_income"
    /// УСН доходы минус расходы.
    case simplifiedIncomeOutcome = "usn_income_outcome"
    /// ЕСХН.
    case agricultural = "esn"
    /// Патент.
    case patent
}
