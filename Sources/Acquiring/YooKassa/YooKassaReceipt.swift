import Kernel

extension YooKassaWire.Receipt {
    /// The receipt in YooKassa's format: item amounts are the price of one, VAT as `vat_code`.
    init(_ receipt: FiscalReceipt, taxSystem: FiscalTaxSystem?) {
        customer = YooKassaWire.Customer(email: receipt.customer.email, phone: receipt.customer.phone.map(Self.phoneDigits))
        items = receipt.items.map { item in
            YooKassaWire.Item(
                description: String(item.description.prefix(FiscalReceipt.maximumDescriptionLength)), quantity: "\(item.quantity).00",
                amount: YooKassaAmount(item.price), vatCode: Self.vatCode(item.vat), paymentMode: item.mode.rawValue,
                paymentSubject: item.subject.rawValue)
        }
        taxSystemCode = (receipt.taxSystem ?? taxSystem).map(Self.taxSystemCode)
    }

    /// YooKassa's codes of VAT rates (1–12; 11 and 12 are 22% and 22/122, from 2026).
    static func vatCode(_ vat: FiscalVAT) -> Int {
        switch vat {
        case .none: 1
        case .vat0: 2
        case .vat10: 3
        case .vat20: 4
        case .vat110: 5
        case .vat120: 6
        case .vat5: 7
        case .vat7: 8
        case .vat105: 9
        case .vat107: 10
        case .vat22: 11
        case .vat122: 12
        }
    }

    /// YooKassa's codes of tax systems (1–6).
    static func taxSystemCode(_ system: FiscalTaxSystem) -> Int {
        switch system {
        case .general: 1
        case .simplifiedIncome: 2
        case .simplifiedIncomeOutcome: 3
        case .agricultural: 5
        case .patent: 6
        }
    }

    /// YooKassa wants the phone as digits in the international format, without the plus.
    private static func phoneDigits(_ phone: String) -> String {
        String(phone.filter(\.isNumber))
    }
}
