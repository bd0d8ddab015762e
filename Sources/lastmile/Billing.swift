import ArgumentParser
import Billing
import Contracts
import Foundation
import Kernel
import Logging
import Platform
import Storage
import Synchronization

/// `lastmile billing …`: the monthly run and the ledger check from the shell.
struct BillingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Run the monthly invoices, check the ledger, reconcile with acquirers.",
        subcommands: [Run.self, Verify.self, Reconcile.self])

    /// `lastmile billing run --period 2026-12 [--dry-run]`, with a progress bar on stderr.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a period's invoices (idempotent: a repeat or a resumed run creates nothing twice).")

        @OptionGroup var common: CommonOptions

        @Option(help: "The period, as YYYY-MM.")
        var period: String

        @Flag(help: "Compute the invoices and their totals without writing them.")
        var dryRun = false

        func run() async throws {
            guard let period = BillingPeriod(period) else { throw ValidationError("--period must be YYYY-MM, such as 2026-12.") }
            let dryRun = dryRun
            let bar = ProgressBar()
            let result = try await BillingCommand.withBilling(common, label: "lastmile.billing") { billing in
                do {
                    return try await billing.runBilling(period: period, dryRun: dryRun, by: nil) { bar.show($0) }
                } catch BillingError.runInProgress(let runID) {
                    throw CommandFailure("Run \(runID) is in progress; wait for it, or for its lease to run out if its process stopped.")
                }
            }
            bar.finish()
            let verb = dryRun ? "would create" : "created"
            print(
                "\(period): \(verb) \(result.invoicesCreated) invoices for \(result.totalAmount.formatted(locale: .en)) "
                    + "(\(result.subscriptionsTotal) subscriptions, run \(result.id)).")
        }
    }

    /// `lastmile billing verify`: exits non-zero when any ledger invariant is broken.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every ledger invariant; exit status 1 on any breach.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let report = try await BillingCommand.withBilling(common, label: "lastmile.billing") { try await $0.verifyLedger() }
            for problem in report.problems { print("breach: \(problem)") }
            print(
                "\(report.transactionsChecked) transactions, \(report.accountsChecked) accounts checked: \(report.isClean ? "clean" : "BROKEN").")
            if !report.isClean { throw ExitCode.failure }
        }
    }

    /// `lastmile billing reconcile --provider yookassa --date 2026-12-01`: exits 1 when differences are left open.
    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a day's payments and refunds with the provider's list; settle what is safe, print and store the rest.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The provider, as configured (yookassa, tbank).")
        var provider: String

        @Option(help: "The day, as YYYY-MM-DD in the operator's time zone.")
        var date: String

        func run() async throws {
            guard let day = LocalDate(date) else { throw ValidationError("--date must be YYYY-MM-DD, such as 2026-12-01.") }
            let provider = provider
            let report = try await BillingCommand.withBilling(common, label: "lastmile.billing") { billing in
                do {
                    return try await billing.reconcile(provider: provider, day: day)
                } catch BillingError.invalidField(_, let reason) {
                    throw CommandFailure("--provider \(provider): \(reason).")
                }
            }
            for difference in report.differences { print(difference) }
            let open = report.differences.filter { $0.resolution == "open" }.count
            print("\(provider) \(day): \(report.checked) operations compared, \(report.differences.count) differences, \(open) open.")
            if report.hasOpenDifferences { throw ExitCode.failure }
        }
    }

    /// Runs `body` with the platform's billing service, over its migrated database and with its configured settings.
    static func withBilling<Result: Sendable>(
        _ common: CommonOptions, label: String, _ body: @escaping @Sendable (BillingService) async throws -> Result
    ) async throws -> Result {
        try await common.withPlatform(label: label) { platform in try await body(platform.localServices().billing) }
    }
}

/// A one-line progress bar on standard error, redrawn in place.
private final class ProgressBar: Sendable {
    private let lastDrawn = Mutex<Int>(-1)
    private let interactive = isatty(STDERR_FILENO) == 1

    func show(_ run: BillingRun) {
        let total = max(run.subscriptionsTotal, 1)
        let percent = min(100, run.subscriptionsProcessed * 100 / total)
        guard
            lastDrawn.withLock({ last in
                defer { last = percent }
                return last != percent
            })
        else { return }
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        let line = "\(bar) \(percent)%  \(run.subscriptionsProcessed)/\(run.subscriptionsTotal) subscriptions, \(run.invoicesCreated) invoices"
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + line + (interactive ? "" : "\n")).utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
