import Foundation

/// A price split into its net part and its VAT so that `net + vat == gross` exactly.
public struct VATSplit: Hashable, Sendable {
    /// The amount including VAT.
    public let gross: Money
    /// The amount before VAT.
    public let net: Money
    /// The VAT; zero when exempt.
    public let vat: Money
    /// The rate applied; `nil` when exempt.
    public let rate: VATRate?

    /// Extracts VAT from a gross amount: `vat = gross × r / (1 + r)` (×22/122 at 22%, ×20/120 at 20%) rounded
    /// half up on kopecks (half away from zero for negative amounts), and `net = gross − vat`.
    public init(gross: Money, rate: VATRate) throws(MoneyError) {
        let (denominator, overflow) = rate.denominator.addingReportingOverflow(rate.numerator)
        if overflow { throw .overflow }
        let vat = try gross.multiplied(by: rate.numerator, dividedBy: denominator, rounding: .halfUp)
        self.gross = gross
        self.vat = vat
        self.net = try gross.subtracting(vat)
        self.rate = rate
    }

    /// Adds VAT to a net amount: `vat = net × r` rounded half up on kopecks, and `gross = net + vat`.
    public init(net: Money, rate: VATRate) throws(MoneyError) {
        let vat = try net.multiplied(by: rate.numerator, dividedBy: rate.denominator, rounding: .halfUp)
        self.net = net
        self.vat = vat
        self.gross = try net.adding(vat)
        self.rate = rate
    }

    /// A VAT-exempt amount: net and gross are the amount, VAT is zero.
    public static func exempt(_ amount: Money) -> VATSplit { VATSplit(gross: amount, net: amount, vat: .zero(amount.currency), rate: nil) }

    /// Extracts VAT from `gross` as `treatment` asks for the tax date on which `taxDate` falls in `timeZone`.
    public init(gross: Money, treatment: VATTreatment, taxDate: Date, timeZone: TimeZone = .moscow) throws(MoneyError) {
        if let rate = treatment.rate(on: taxDate, timeZone: timeZone) {
            try self.init(gross: gross, rate: rate)
        } else {
            self = .exempt(gross)
        }
    }

    /// Extracts VAT from `gross` as `treatment` asks for a tax day.
    public init(gross: Money, treatment: VATTreatment, taxDay: LocalDate) throws(MoneyError) {
        if let rate = treatment.rate(onTaxDay: taxDay) {
            try self.init(gross: gross, rate: rate)
        } else {
            self = .exempt(gross)
        }
    }

    private init(gross: Money, net: Money, vat: Money, rate: VATRate?) {
        self.gross = gross
        self.net = net
        self.vat = vat
        self.rate = rate
    }
}

extension Money {
    /// The VAT inside this gross amount at `rate`, rounded half up on kopecks; see ``VATSplit/init(gross:rate:)``.
    public func vatIncluded(at rate: VATRate) throws(MoneyError) -> Money { try VATSplit(gross: self, rate: rate).vat }

    /// This net amount with VAT at `rate` added; see ``VATSplit/init(net:rate:)``.
    public func addingVAT(at rate: VATRate) throws(MoneyError) -> Money { try VATSplit(net: self, rate: rate).gross }
}
