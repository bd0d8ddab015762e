import Contracts
import Foundation
import Kernel
import Storage

/// The `billing_runs` progress rows and the `billing_leases` row that lets one runner work at a time.
enum RunStore {
    static let leaseName = "monthly-run"
    private static let columns = """
        id, period, dry_run, status, subscriptions_total, subscriptions_processed, invoices_created, total_amount, started_at,
        finished_at, error
        """

    /// The lease holder's name for `runID`: the run and the process holding it (`run@host#pid`).
    static func holder(runID: String) -> String { "\(runID)@\(ProcessInfo.processInfo.hostName)#\(getpid())" }

    /// Whether `holder` names a process on this host that no longer exists (it was killed): its lease is void at once
    /// instead of when it runs out. A holder on another host, or a live process, keeps its lease.
    static func isDeadLocalHolder(_ holder: String) -> Bool {
        guard let at = holder.lastIndex(of: "@"), let hash = holder.lastIndex(of: "#"), at < hash,
            holder[holder.index(after: at)..<hash] == ProcessInfo.processInfo.hostName,
            let pid = Int32(holder[holder.index(after: hash)...]), pid > 0, pid != getpid()
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Takes the lease for `runID` unless another run holds an unexpired one; returns that run's id when it does.
    static func acquireLease(runID: String, until: Date, now: Date, in executor: any SQLExecutor) async throws -> String? {
        let me = holder(runID: runID)
        let taken = try await executor.query(
            """
            INSERT INTO billing_leases (name, holder, run_id, expires_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, expires_at = excluded.expires_at
            WHERE billing_leases.expires_at <= $5
            RETURNING holder
            """,
            leaseName, me, runID, until, now)
        if !taken.isEmpty { return nil }
        guard let current = try await executor.first("SELECT holder, run_id FROM billing_leases WHERE name = $1", leaseName) else { return "" }
        let (other, otherRun) = (try current.string("holder"), try current.string("run_id"))
        if isDeadLocalHolder(other) {
            let replaced = try await executor.query(
                "UPDATE billing_leases SET holder = $1, run_id = $2, expires_at = $3 WHERE name = $4 AND holder = $5 RETURNING holder", me, runID,
                until, leaseName, other)
            if !replaced.isEmpty { return nil }
        }
        return otherRun
    }

    /// Extends the lease of `runID`; `false` when it lost it.
    static func renewLease(runID: String, until: Date, in executor: any SQLExecutor) async throws -> Bool {
        try await !executor.query(
            "UPDATE billing_leases SET expires_at = $1 WHERE name = $2 AND holder = $3 RETURNING holder", until, leaseName, holder(runID: runID)
        ).isEmpty
    }

    /// Gives the lease up.
    static func releaseLease(runID: String, in executor: any SQLExecutor) async throws {
        try await executor.query("DELETE FROM billing_leases WHERE name = $1 AND holder = $2", leaseName, holder(runID: runID))
    }

    /// Takes `count` invoice numbers of the period at once and returns the number before the first of them.
    static func reserveNumbers(period: BillingPeriod, count: Int, in executor: any SQLExecutor) async throws -> Int64 {
        guard
            let row = try await executor.first(
                "UPDATE invoice_counters SET last_number = last_number + $1 WHERE period = $2 RETURNING last_number - $1 AS base", count,
                period.description)
        else { throw BillingError.conflict(reason: "the period's invoice counter is missing") }
        return try row.int64("base")
    }

    static func insert(_ run: BillingRun, startedBy: String?, in executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            INSERT INTO billing_runs (id, period, dry_run, status, subscriptions_total, started_by, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            run.id, run.period.description, run.dryRun, run.status.rawValue, run.subscriptionsTotal, startedBy, run.startedAt)
    }

    /// Marks runs that still say `running` but lost their lease as failed (their process stopped).
    static func abandonStale(except runID: String, at time: Date, in executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            UPDATE billing_runs SET status = 'failed', finished_at = $1, error = 'stopped before finishing; a later run resumed it'
            WHERE status = 'running' AND dry_run = FALSE AND id <> $2
            """,
            time, runID)
    }

    static func progress(runID: String, total: Int, processed: Int, invoices: Int, amount: Int64, in executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            UPDATE billing_runs SET subscriptions_total = $1, subscriptions_processed = $2, invoices_created = $3, total_amount = $4
            WHERE id = $5
            """,
            total, processed, invoices, amount, runID)
    }

    static func finish(runID: String, status: BillingRun.Status, error: String?, at time: Date, in executor: any SQLExecutor) async throws {
        try await executor.query(
            "UPDATE billing_runs SET status = $1, error = $2, finished_at = $3 WHERE id = $4", status.rawValue, error.map { String($0.prefix(1000)) },
            time, runID)
    }

    static func find(id: String, currency: Currency, in executor: any SQLExecutor) async throws -> BillingRun? {
        try await executor.first("SELECT \(columns) FROM billing_runs WHERE id = $1", id).map { try run($0, currency: currency) }
    }

    /// Runs newest first; the cursor is `startedAt:id`.
    static func list(page: PageRequest, currency: Currency, in executor: any SQLExecutor) async throws -> Page<BillingRun> {
        let parts = page.cursor?.split(separator: ":", maxSplits: 1).map(String.init) ?? []
        let (startedAt, id) = parts.count == 2 ? (Int64(parts[0]) ?? Int64.max, parts[1]) : (Int64.max, "")
        let rows = try await executor.query(
            """
            SELECT \(columns) FROM billing_runs WHERE started_at < $1 OR (started_at = $1 AND id < $2)
            ORDER BY started_at DESC, id DESC LIMIT $3
            """,
            startedAt, id, page.limit + 1)
        let runs = try rows.prefix(page.limit).map { try run($0, currency: currency) }
        let next = rows.count > page.limit ? runs.last.map { "\($0.startedAt.microsecondsSince1970):\($0.id)" } : nil
        return Page(items: runs, nextCursor: next)
    }

    private static func run(_ row: SQLRow, currency: Currency) throws -> BillingRun {
        let record = try row.decode(RunRow.self)
        return BillingRun(
            id: record.id, period: record.period, dryRun: record.dryRun, status: record.status, subscriptionsTotal: record.subscriptionsTotal,
            subscriptionsProcessed: record.subscriptionsProcessed, invoicesCreated: record.invoicesCreated,
            totalAmount: Money(minorUnits: record.totalAmount, currency: currency), startedAt: record.startedAt, finishedAt: record.finishedAt,
            error: record.error)
    }

    /// The columns of a run.
    private struct RunRow: Decodable {
        var id: String
        var period: BillingPeriod
        var dryRun: Bool
        var status: BillingRun.Status
        var subscriptionsTotal: Int
        var subscriptionsProcessed: Int
        var invoicesCreated: Int
        var totalAmount: Int64
        var startedAt: Date
        var finishedAt: Date?
        var error: String?
    }
}
