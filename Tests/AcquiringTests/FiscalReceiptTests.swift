import Acquiring
import Kernel
import Testing

@Suite struct FiscalReceiptTests {
    private func item(_ kopecks: Int64, quantity: Int64 = 1) -> FiscalItem {
        FiscalItem(description: "Интернет", quantity: quantity, price: .rub(kopecks), vat: .vat22, subject: .service, mode: .fullPayment)
    }

    @Test func aReceiptWhoseItemsAddUpToThePaymentIsSound() {
        let receipt = FiscalReceipt(
            customer: FiscalCustomer(email: "a@example.ru", phone: nil), items: [item(500_00), item(100_00, quantity: 2)], taxSystem: nil)
        #expect(receipt.problem(forAmount: .rub(700_00)) == nil)
        #expect(receipt.problem(forAmount: .rub(700_01)) != nil)
    }

    @Test func aReceiptWithoutAContactOrItemsIsRefused() {
        #expect(FiscalReceipt(customer: FiscalCustomer(email: nil, phone: nil), items: [item(1)], taxSystem: nil).problem(forAmount: .rub(1)) != nil)
        #expect(
            FiscalReceipt(customer: FiscalCustomer(email: nil, phone: "+79001234567"), items: [], taxSystem: nil).problem(forAmount: .rub(0)) != nil)
    }

    @Test func anOverflowingItemIsRefusedNotTrapped() {
        let receipt = FiscalReceipt(customer: FiscalCustomer(email: "a@example.ru", phone: nil), items: [item(.max, quantity: 2)], taxSystem: nil)
        #expect(receipt.problem(forAmount: .rub(1)) != nil)
    }

    @Test func vatRatesMapToTheirPrintedCodes() {
        #expect(FiscalVAT.of(.standard22, calculated: false) == .vat22)
        #expect(FiscalVAT.of(.standard22, calculated: true) == .vat122)
        #expect(FiscalVAT.of(.standard20, calculated: true) == .vat120)
        #expect(FiscalVAT.of(nil, calculated: false) == FiscalVAT.none)
        #expect(FiscalVAT.of(.zero, calculated: false) == .vat0)
    }
}
