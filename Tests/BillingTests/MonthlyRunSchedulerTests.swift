import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Monthly run scheduler")
struct MonthlyRunSchedulerTests {
    /// A run that fails (here: a table is away) is started again after the retry delay and completes once the fault
    /// is gone, without restarting the process.
    @Test(arguments: DatabaseKind.available)
    func aFailedRunIsTriedAgain(kind: DatabaseKind) async throws {
        try await BillingHarness.with(
            kind,
            configure: {
                $0.runRetryDelay = 0.2
                $0.runAttempts = 50
            }
        ) { h in
            let (customerID, _) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 500_00))
            try await h.database.query("ALTER TABLE invoice_lines RENAME TO invoice_lines_away", [])
            let scheduler = Task { try await MonthlyRunScheduler(billing: h.billing).run() }
            defer { scheduler.cancel() }

            func runs(_ status: String) async throws -> Int {
                try await h.database.query("SELECT id FROM billing_runs WHERE period = '2026-12' AND status = $1", status).count
            }
            var failed = 0
            for _ in 0..<250 where failed < 2 {
                failed = try await runs("failed")
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(failed >= 2)
            try await h.database.query("ALTER TABLE invoice_lines_away RENAME TO invoice_lines", [])
            var completed = 0
            for _ in 0..<500 where completed == 0 {
                completed = try await runs("completed")
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(completed == 1)
            #expect(try await h.billing.invoices(of: .customer(customerID), page: PageRequest()).items.map(\.total) == [.rub(500_00)])
            #expect(try await h.expectClean().isClean)
        }
    }
}
