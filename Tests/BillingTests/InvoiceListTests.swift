import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Invoice list", .serialized)
struct InvoiceListTests {
    @Test(arguments: DatabaseKind.available)
    func aUsersPagesEqualTheCustomersPages(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in try await Self.comparePages(h) }
    }

    static func comparePages(_ h: BillingHarness) async throws {
        let tariff = try await h.tariff(price: 500_00)
        let (customerID, userID) = try await h.customer()
        let (otherCustomer, _) = try await h.customer()
        _ = try await h.subscribe(customerID, tariff, from: LocalDate("2026-09-01")!)
        _ = try await h.subscribe(otherCustomer, tariff, from: LocalDate("2026-09-01")!)
        for period in ["2026-09", "2026-10", "2026-11", "2026-12"] { _ = try await h.run(period) }

        var byUser: [Invoice] = []
        var byCustomer: [Invoice] = []
        var cursor: String?
        repeat {
            let page = try await h.billing.invoices(of: .user(userID), page: PageRequest(cursor: cursor, limit: 3))
            byUser += page.items
            cursor = page.nextCursor
        } while cursor != nil
        repeat {
            let page = try await h.billing.invoices(of: .customer(customerID), page: PageRequest(cursor: cursor, limit: 3))
            byCustomer += page.items
            cursor = page.nextCursor
        } while cursor != nil
        #expect(byUser.map { "\($0.period)" } == ["2026-12", "2026-11", "2026-10", "2026-09"])
        #expect(byUser.map(\.id) == byCustomer.map(\.id))
        #expect(byUser.allSatisfy { $0.customerId == customerID })
    }

    @Test(arguments: DatabaseKind.available)
    func anAccountWithoutInvoicesIsAnEmptyPageAndNoAccountIsNotFound(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (_, userID) = try await h.customer()
            let page = try await h.billing.invoices(of: .user(userID), page: PageRequest())
            #expect(page.items.isEmpty)
            #expect(page.nextCursor == nil)
            await #expect(throws: BillingError.notFound) {
                _ = try await h.billing.invoices(of: .user(UUID().uuidString), page: PageRequest())
            }
        }
    }
}
