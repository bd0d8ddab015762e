import Contracts
import Foundation
import Gateway
import Kernel
import NIOCore
import ServerKit
import Testing

@Suite("Invoice JSON written without JSONEncoder")
struct InvoiceJSONTests {
    static func invoice(number: String, status: InvoiceStatus, amountDue: Int64) -> Invoice {
        Invoice(
            id: "01a21d94-9495-711f-9588-0000000003e9", number: number, customerId: "c/\"1\"", period: BillingPeriod(year: 2026, month: 2)!,
            status: status, total: .rub(85_000), vat: .rub(15_328), amountDue: .rub(amountDue),
            issuedAt: Date(timeIntervalSince1970: 1_795_000_000.125), dueOn: LocalDate(year: 2026, month: 2, day: 28)!)
    }

    @Test(arguments: InvoiceStatus.allCases)
    func anInvoiceDecodesAsJSONEncodersDoes(status: InvoiceStatus) throws {
        for (number, due) in [("2026-02-000001", Int64(85_000)), ("№ 7 \\ «тест»\n", 0), ("", -1)] {
            let invoice = Self.invoice(number: number, status: status, amountDue: due)
            let fast = Data(invoice.jsonBytes.readableBytesView)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = JSONDates.strategy
            let slow = try encoder.encode(invoice)
            let fastObject = try #require(try JSONSerialization.jsonObject(with: fast) as? NSDictionary)
            let slowObject = try #require(try JSONSerialization.jsonObject(with: slow) as? NSDictionary)
            #expect(fastObject == slowObject)
        }
    }
}
