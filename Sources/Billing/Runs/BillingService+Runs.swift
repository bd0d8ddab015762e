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
        // Invoicing a month that has not begun would charge customers for days to come (and a customer resumed later
        // at once for all of them); a dry run only forecasts, so it may look ahead.
        let current = BillingPeriod.containing(now, in: settings.timeZone)
        if !dryRun, period > current, !settings.allowsFuturePeriods {
            throw BillingError.invalidField(field: "period", reason: "must not be after the current period \(current)")
        }
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
            let parallel = database.dialect == .postgres && !dryRun ? max(1, settings.runParallelBatches) : 1
            if parallel > 1 {
                guard
                    let done = try await executeInParallel(
                        runID: runID, issuer: issuer, tariffs: tariffs, parallel: parallel, stopAfterBatches: stopAfterBatches, from: state,
                        progress: progress)
                else { return try await billingRun(id: runID) }
                state = done
            }
            var cursor = ""
            var batches = 0
            while parallel == 1 {
                if let stopAfterBatches, batches >= stopAfterBatches { return try await billingRun(id: runID) }
                let upTo = try await batchEnd(after: cursor)
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

    /// The first customer id after `cursor` that ends a batch, or `nil` when the rest fits in one.
    private func batchEnd(after cursor: String) async throws -> String? {
        try await database.first(
            "SELECT customer_id FROM billing_accounts WHERE customer_id > $1 ORDER BY customer_id LIMIT 1 OFFSET $2", cursor,
            settings.runBatchSize - 1
        )?.string("customer_id")
    }

    /// Writes the run's batches `parallel` at a time, each in its own transaction on its own connection, with invoice
    /// numbers reserved per batch outside the transactions (a batch that fails after reserving leaves a gap in the
    /// numbers; nothing else does). Returns the totals, or `nil` when `stopAfterBatches` ended it early.
    private func executeInParallel(
        runID: String, issuer: InvoiceIssuer, tariffs: [String: PricedTariff], parallel: Int, stopAfterBatches: Int?, from start: RunProgress,
        progress: @escaping @Sendable (BillingRun) -> Void
    ) async throws -> RunProgress? {
        let lease = settings.runLeaseDuration
        return try await withThrowingTaskGroup(of: BatchResult.self) { group in
            var (state, cursor, dispatched, inFlight) = (start, "", 0, 0)
            var more = true
            func report(_ result: BatchResult) async throws {
                state.add(result)
                try await RunStore.progress(
                    runID: runID, total: state.total, processed: min(state.processed, state.total), invoices: state.invoices, amount: state.amount,
                    in: database)
                progress(try await billingRun(id: runID))
            }
            while more {
                if let stopAfterBatches, dispatched >= stopAfterBatches { break }
                let upTo = try await batchEnd(after: cursor)
                guard try await RunStore.renewLease(runID: runID, until: clock.now().addingTimeInterval(lease), in: database) else {
                    throw BillingError.conflict(reason: "the run lost its lease to another runner")
                }
                let after = cursor
                group.addTask { try await self.reservedBatch(after: after, upTo: upTo, issuer: issuer, tariffs: tariffs, runID: runID) }
                dispatched += 1
                inFlight += 1
                if let upTo { cursor = upTo } else { more = false }
                if inFlight >= parallel, let result = try await group.next() {
                    inFlight -= 1
                    try await report(result)
                }
            }
            while let result = try await group.next() { try await report(result) }
            return more ? nil : state
        }
    }

    /// One batch of a parallel run: a snapshot of its own (repeatable read), so the invoices it counts before reserving
    /// their numbers are the ones it writes; the lease is checked in the transaction.
    private func reservedBatch(after cursor: String, upTo: String?, issuer: InvoiceIssuer, tariffs: [String: PricedTariff], runID: String)
        async throws -> BatchResult
    {
        let (database, period, currency) = (database, issuer.period, settings.currency)
        let repriced = Self.repricedTariffs(tariffs, in: period)
        // The batch's snapshot starts with its account locks: a change of one of its customers committed while it
        // waited for that lock fails it with a serialization failure, before it reserved numbers; the next attempt
        // sees the change. A debt sweep going through many of the batch's customers can do that for a while, so the
        // attempts go on for about half a minute.
        var attempt = 0
        while true {
            do {
                return try await reservedBatchAttempt(
                    after: cursor, upTo: upTo, issuer: issuer, tariffs: tariffs, repriced: repriced, runID: runID)
            } catch StorageError.serializationFailure where attempt < 40 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(min(1_000, 25 * attempt)))
            }
        }
    }

    private func reservedBatchAttempt(
        after cursor: String, upTo: String?, issuer: InvoiceIssuer, tariffs: [String: PricedTariff], repriced: [String], runID: String
    ) async throws -> BatchResult {
        let (database, period, currency) = (database, issuer.period, settings.currency)
        return try await database.transaction { tx in
            try await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", [])
            try await AccountStore.lockBatch(after: cursor, upTo: upTo, in: tx)
            guard
                try await tx.first(
                    "SELECT 1 AS one FROM billing_leases WHERE name = $1 AND holder = $2", RunStore.leaseName, RunStore.holder(runID: runID))
                    != nil
            else { throw BillingError.conflict(reason: "the run lost its lease to another runner") }
            let unusual = try await issuer.unusualCustomers(after: cursor, upTo: upTo, repriced: repriced, in: tx)
            let terms = try await SubscriptionStore.terms(customerIDs: unusual, period: period, in: tx)
            let priced = try InvoiceIssuer.group(terms, period: period, tariffs: tariffs, currency: currency)
            // On the database, not `tx`: a statement of its own, so the counter row is locked only for a moment.
            return try await issuer.issueSetBased(
                after: cursor, upTo: upTo, unusual: unusual, priced: priced,
                reserve: { count in try await RunStore.reserveNumbers(period: period, count: count, in: database) }, in: tx)
        }
    }

    private func batch(
        after cursor: String, upTo: String?, dryRun: Bool, issuer: InvoiceIssuer, tariffs: [String: PricedTariff], state: RunProgress, runID: String
    ) async throws -> BatchResult {
        let repriced = Self.repricedTariffs(tariffs, in: issuer.period)
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
                try await AccountStore.lockBatch(after: cursor, upTo: upTo, in: tx)
                let unusual = try await issuer.unusualCustomers(after: cursor, upTo: upTo, repriced: repriced, in: tx)
                let terms = try await SubscriptionStore.terms(customerIDs: unusual, period: period, in: tx)
                let priced = try InvoiceIssuer.group(terms, period: period, tariffs: tariffs, currency: currency)
                result = try await issuer.issueSetBased(after: cursor, upTo: upTo, unusual: unusual, priced: priced, in: tx)
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

    /// Tariffs whose price changes on a day inside the period after its first: their subscriptions are priced piece by piece.
    static func repricedTariffs(_ tariffs: [String: PricedTariff], in period: BillingPeriod) -> [String] {
        tariffs.values.filter { tariff in tariff.prices.contains { $0.from > period.firstDay && $0.from < period.endDay } }.map(\.id).sorted()
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
