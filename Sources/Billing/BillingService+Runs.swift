import Contracts
import Foundation
import Kernel
import Logging
import Storage

extension BillingService {
    /// Starts the monthly run for a period and returns at once; ``BillingRunWorker`` executes it.
    /// At most one run that writes works at a time across processes; a dry run needs no lease.
    public func startBillingRun(period: BillingPeriod, dryRun: Bool, by operatorID: String?) async throws -> BillingRun {
        let run = try await beginRun(period: period, dryRun: dryRun, by: operatorID)
        runs.enqueue(BillingRunQueue.Request(runID: run.id, period: period, dryRun: dryRun))
        return run
    }

    /// Runs the monthly run for a period to its end in this task, reporting progress after each batch.
    public func runBilling(
        period: BillingPeriod, dryRun: Bool, by operatorID: String?, progress: @escaping @Sendable (BillingRun) -> Void = { _ in }
    ) async throws -> BillingRun {
        try await runBilling(period: period, dryRun: dryRun, by: operatorID, stopAfterBatches: nil, progress: progress)
    }

    /// As the public one; `stopAfterBatches` ends the run early without releasing its lease, as a crashed process would.
    func runBilling(
        period: BillingPeriod, dryRun: Bool, by operatorID: String?, stopAfterBatches: Int?, progress: @escaping @Sendable (BillingRun) -> Void
    ) async throws -> BillingRun {
        let run = try await beginRun(period: period, dryRun: dryRun, by: operatorID)
        return try await execute(runID: run.id, period: period, dryRun: dryRun, stopAfterBatches: stopAfterBatches, progress: progress)
    }

    /// A run's progress or result.
    public func billingRun(id: String) async throws -> BillingRun {
        guard let run = try await RunStore.find(id: id, currency: settings.currency, in: database) else { throw BillingError.notFound }
        return run
    }

    /// Recent runs, newest first.
    public func billingRuns(page: PageRequest) async throws -> Page<BillingRun> {
        try await RunStore.list(page: page, currency: settings.currency, in: database)
    }

    private func beginRun(period: BillingPeriod, dryRun: Bool, by operatorID: String?) async throws -> BillingRun {
        let now = clock.now()
        let run = BillingRun(
            id: Identifier<BillingRun>.generate().rawValue, period: period, dryRun: dryRun, status: .running, subscriptionsTotal: 0,
            subscriptionsProcessed: 0, invoicesCreated: 0, totalAmount: money(0), startedAt: now, finishedAt: nil, error: nil)
        let lease = settings.runLeaseDuration
        try await database.transaction { tx in
            if !dryRun {
                if let holder = try await RunStore.acquireLease(runID: run.id, until: now.addingTimeInterval(lease), now: now, in: tx) {
                    throw BillingError.runInProgress(runID: holder)
                }
                try await RunStore.abandonStale(except: run.id, at: now, in: tx)
                try await tx.query("INSERT INTO invoice_counters (period, last_number) VALUES ($1, 0) ON CONFLICT DO NOTHING", period.description)
            }
            try await RunStore.insert(run, startedBy: operatorID, in: tx)
        }
        return run
    }

    func execute(
        runID: String, period: BillingPeriod, dryRun: Bool, stopAfterBatches: Int? = nil, progress: @escaping @Sendable (BillingRun) -> Void
    ) async throws -> BillingRun {
        do {
            let total = try await billableCount(period: period)
            var state = RunProgress(total: total)
            let issuer = InvoiceIssuer(
                period: period, runID: runID, dueOn: period.firstDay.adding(days: settings.paymentTermDays), currency: settings.currency,
                now: clock.now())
            let tariffs = try await TariffStore.priced(in: database)
            var cursor = ""
            var batches = 0
            while true {
                if let stopAfterBatches, batches >= stopAfterBatches { return try await billingRun(id: runID) }
                let upTo = try await database.first(
                    "SELECT customer_id FROM billing_accounts WHERE customer_id > $1 ORDER BY customer_id LIMIT 1 OFFSET $2", cursor,
                    settings.runBatchSize - 1
                )?.string("customer_id")
                let result = try await batch(after: cursor, upTo: upTo, dryRun: dryRun, issuer: issuer, tariffs: tariffs, state: state, runID: runID)
                state.add(result)
                batches += 1
                progress(try await billingRun(id: runID))
                guard let upTo else { break }
                cursor = upTo
            }
            let (now, final) = (clock.now(), state)
            try await database.transaction { tx in
                try await RunStore.progress(
                    runID: runID, total: final.total, processed: final.total, invoices: final.invoices, amount: final.amount, in: tx)
                try await RunStore.finish(runID: runID, status: .completed, error: nil, at: now, in: tx)
                if !dryRun { try await RunStore.releaseLease(runID: runID, in: tx) }
            }
            let finished = try await billingRun(id: runID)
            progress(finished)
            logger.info(
                "billing run finished",
                metadata: ["run_id": "\(runID)", "period": "\(period)", "invoices": "\(finished.invoicesCreated)", "dry_run": "\(dryRun)"])
            return finished
        } catch {
            logger.error("billing run failed", metadata: ["run_id": "\(runID)", "error": "\(error)"])
            let now = clock.now()
            try? await database.transaction { tx in
                try await RunStore.finish(runID: runID, status: .failed, error: "\(error)", at: now, in: tx)
                if !dryRun { try await RunStore.releaseLease(runID: runID, in: tx) }
            }
            throw error
        }
    }

    private func batch(
        after cursor: String, upTo: String?, dryRun: Bool, issuer: InvoiceIssuer, tariffs: [String: PricedTariff], state: RunProgress, runID: String
    ) async throws -> BatchResult {
        let (currency, period, lease) = (settings.currency, issuer.period, settings.runLeaseDuration)
        if dryRun {
            let customers = try await InvoiceIssuer.lines(
                customersAfter: cursor, upTo: upTo, period: period, tariffs: tariffs, currency: currency, in: database)
            let result = BatchResult(
                invoices: customers.count, lines: customers.reduce(0) { $0 + $1.lines.count },
                total: customers.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.amount } })
            var next = state
            next.add(result)
            try await RunStore.progress(
                runID: runID, total: next.total, processed: min(next.processed, next.total), invoices: next.invoices, amount: next.amount,
                in: database)
            return result
        }
        let now = clock.now()
        return try await database.transaction { tx in
            guard try await RunStore.renewLease(runID: runID, until: now.addingTimeInterval(lease), in: tx) else {
                throw BillingError.conflict(reason: "the run lost its lease to another runner")
            }
            var result: BatchResult
            if tx.dialect == .postgres {
                let unusual = try await issuer.unusualCustomers(after: cursor, upTo: upTo, in: tx)
                let terms = try await SubscriptionStore.terms(customerIDs: unusual, period: period, in: tx)
                result = try await issuer.issue(try InvoiceIssuer.group(terms, period: period, tariffs: tariffs, currency: currency), in: tx)
                let plain = try await issuer.issueSetBased(after: cursor, upTo: upTo, in: tx)
                result.invoices += plain.invoices
                result.lines += plain.lines
                result.total += plain.total
            } else {
                let customers = try await InvoiceIssuer.lines(
                    customersAfter: cursor, upTo: upTo, period: period, tariffs: tariffs, currency: currency, in: tx)
                result = try await issuer.issue(customers, in: tx)
            }
            var next = state
            next.add(result)
            try await RunStore.progress(
                runID: runID, total: next.total, processed: min(next.processed, next.total), invoices: next.invoices, amount: next.amount, in: tx)
            return result
        }
    }

    /// Subscriptions with service days in the period.
    func billableCount(period: BillingPeriod) async throws -> Int {
        try await database.first(
            "SELECT COUNT(*) AS n FROM subscriptions WHERE starts_on < $1 AND (ends_on IS NULL OR ends_on >= $2)", period.endDay.dayNumber,
            period.firstDay.dayNumber
        )?.int("n") ?? 0
    }
}

/// Running totals of a monthly run.
struct RunProgress: Sendable {
    var total: Int
    var processed = 0
    var invoices = 0
    var amount: Int64 = 0

    mutating func add(_ batch: BatchResult) {
        processed += batch.lines
        invoices += batch.invoices
        amount += batch.total
    }
}
