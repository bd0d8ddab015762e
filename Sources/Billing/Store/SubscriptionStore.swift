import Contracts
import Foundation
import Kernel
import Storage

/// The `subscriptions`, `subscription_tariffs` and `subscription_pauses` tables.
enum SubscriptionStore {
    /// Inserts a subscription with its first tariff segment.
    static func insert(id: String, _ input: NewSubscription, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO subscriptions (id, customer_id, contract_id, tariff_id, status, starts_on, created_at)
            VALUES ($1, $2, $3, $4, 'active', $5, $6)
            """,
            id, input.customerId, input.contractId, input.tariffId, input.startsOn.dayNumber, time)
        try await addTariffSegment(subscriptionID: id, tariffID: input.tariffId, from: input.startsOn, in: tx)
    }

    /// Records that the subscription is on `tariffID` from `from` on.
    static func addTariffSegment(subscriptionID: String, tariffID: String, from: LocalDate, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO subscription_tariffs (subscription_id, effective_from, tariff_id) VALUES ($1, $2, $3)
            ON CONFLICT (subscription_id, effective_from) DO UPDATE SET tariff_id = excluded.tariff_id
            """,
            subscriptionID, from.dayNumber, tariffID)
    }

    private static let columns = """
        s.id, s.customer_id, s.contract_id, s.tariff_id, s.next_tariff_id, s.status, s.starts_on, s.ends_on,
        (SELECT MAX(p.ends_before) FROM subscription_pauses p WHERE p.subscription_id = s.id AND p.ends_before > $1) AS paused_before
        """

    /// One subscription, only if it belongs to `customerID` when given.
    static func find(id: String, customerID: String?, today: LocalDate, in executor: any SQLExecutor) async throws -> Subscription? {
        let rows = try await executor.query(
            "SELECT \(columns) FROM subscriptions s WHERE s.id = $2" + (customerID == nil ? "" : " AND s.customer_id = $3"),
            [.integer(Int64(today.dayNumber)), .text(id)] + (customerID.map { [SQLValue.text($0)] } ?? []))
        return try rows.first.map(subscription)
    }

    /// A customer's subscriptions, oldest first.
    static func list(customerID: String, today: LocalDate, in executor: any SQLExecutor) async throws -> [Subscription] {
        try await executor.query(
            "SELECT \(columns) FROM subscriptions s WHERE s.customer_id = $2 ORDER BY s.starts_on, s.id", today.dayNumber, customerID
        ).map(subscription)
    }

    private static func subscription(_ row: SQLRow) throws -> Subscription {
        let record = try row.decode(SubscriptionRow.self)
        return Subscription(
            id: record.id, customerId: record.customerID, contractId: record.contractID, tariffId: record.tariffID,
            nextTariffId: record.nextTariffID, status: record.status, startsOn: LocalDate(dayNumber: record.startsOn),
            endsOn: record.endsOn.map { LocalDate(dayNumber: $0) }, pausedUntil: record.pausedBefore.map { LocalDate(dayNumber: $0 - 1) })
    }

    /// The columns of ``columns``: days as day numbers, a pause's end as the first day after it.
    private struct SubscriptionRow: Decodable {
        var id: String
        var customerID: String
        var contractID: String
        var tariffID: String
        var nextTariffID: String?
        var status: SubscriptionStatus
        var startsOn: Int
        var endsOn: Int?
        var pausedBefore: Int?
    }

    /// A tariff segment of a subscription, as pricing reads it.
    private struct SegmentRow: Decodable {
        var subscriptionID: String
        var effectiveFrom: Int
        var tariffID: String
    }

    /// A pause or suspension of a subscription: its first day and the first day after it.
    private struct PauseRow: Decodable {
        var subscriptionID: String
        var startsOn: Int
        var endsBefore: Int
    }

    /// A subscription's own terms.
    private struct TermsRow: Decodable {
        var id: String
        var customerID: String
        var startsOn: Int
        var endsOn: Int?
    }

    /// Pricing terms of the subscriptions whose ids are given, or of the customers in `(after, upTo]` overlapping a period.
    static func terms(ids: [String], in executor: any SQLExecutor) async throws -> [SubscriptionTerms] {
        guard !ids.isEmpty else { return [] }
        let list = (1...ids.count).map { "$\($0)" }.joined(separator: ", ")
        return try await terms(where: "s.id IN (\(list))", binds: ids.map { .text($0) }, in: executor)
    }

    /// Pricing terms of the billable subscriptions of customers in `(after, upTo]` (no upper bound when `nil`) for a period.
    static func terms(customersAfter after: String, upTo: String?, period: BillingPeriod, in executor: any SQLExecutor) async throws
        -> [SubscriptionTerms]
    {
        var condition = "s.customer_id > $1 AND s.starts_on < $2 AND (s.ends_on IS NULL OR s.ends_on >= $3) AND \(notCharged("$4"))"
        var binds: [SQLValue] = [
            .text(after), .integer(Int64(period.endDay.dayNumber)), .integer(Int64(period.firstDay.dayNumber)), .text(period.description),
        ]
        if let upTo {
            condition += " AND s.customer_id <= $5"
            binds.append(.text(upTo))
        }
        return try await terms(where: condition, binds: binds, in: executor)
    }

    static func terms(where condition: String, binds: [SQLValue], in executor: any SQLExecutor) async throws -> [SubscriptionTerms] {
        let subscriptions = try await executor.query(
            "SELECT s.id, s.customer_id, s.starts_on, s.ends_on FROM subscriptions s WHERE \(condition) ORDER BY s.customer_id, s.id", binds)
        guard !subscriptions.isEmpty else { return [] }
        let segments = try await executor.query(
            """
            SELECT t.subscription_id, t.effective_from, t.tariff_id FROM subscription_tariffs t
            WHERE t.subscription_id IN (SELECT s.id FROM subscriptions s WHERE \(condition))
            """, binds)
        // Suspensions count as days without service, like pauses; an open one lasts until further notice.
        let pauses = try await executor.query(
            """
            SELECT p.subscription_id, p.starts_on, p.ends_before FROM subscription_pauses p
            WHERE p.subscription_id IN (SELECT s.id FROM subscriptions s WHERE \(condition))
            UNION ALL
            SELECT u.subscription_id, u.starts_on, COALESCE(u.ends_before, \(SubscriptionTerms.untilFurtherNotice.dayNumber)) FROM subscription_suspensions u
            WHERE u.subscription_id IN (SELECT s.id FROM subscriptions s WHERE \(condition))
            """, binds)
        var tariffsBySubscription: [String: [(from: LocalDate, tariffID: String)]] = [:]
        for row in segments {
            let segment = try row.decode(SegmentRow.self)
            tariffsBySubscription[segment.subscriptionID, default: []].append(
                (from: LocalDate(dayNumber: segment.effectiveFrom), tariffID: segment.tariffID))
        }
        var pausesBySubscription: [String: [SubscriptionTerms.DayRange]] = [:]
        for row in pauses {
            let pause = try row.decode(PauseRow.self)
            pausesBySubscription[pause.subscriptionID, default: []].append(
                SubscriptionTerms.DayRange(from: LocalDate(dayNumber: pause.startsOn), before: LocalDate(dayNumber: pause.endsBefore)))
        }
        return try subscriptions.map { row in
            let terms = try row.decode(TermsRow.self)
            return SubscriptionTerms(
                id: terms.id, customerID: terms.customerID, startsOn: LocalDate(dayNumber: terms.startsOn),
                endsOn: terms.endsOn.map { LocalDate(dayNumber: $0) }, tariffs: tariffsBySubscription[terms.id] ?? [],
                pauses: pausesBySubscription[terms.id] ?? [])
        }
    }

    /// Whether the subscription's period has been invoiced.
    static func isBilled(subscriptionID: String, period: BillingPeriod, in executor: any SQLExecutor) async throws -> Bool {
        try await executor.first("SELECT 1 AS one FROM invoice_lines WHERE subscription_id = $1 AND period = $2", subscriptionID, period.description)
            != nil
    }
}

extension SubscriptionStore {
    /// Pricing terms of the given customers' subscriptions with service days in a period.
    static func terms(customerIDs: [String], period: BillingPeriod, in executor: any SQLExecutor) async throws -> [SubscriptionTerms] {
        guard !customerIDs.isEmpty else { return [] }
        let list = (0..<customerIDs.count).map { "$\($0 + 4)" }.joined(separator: ", ")
        return try await terms(
            where: "s.starts_on < $1 AND (s.ends_on IS NULL OR s.ends_on >= $2) AND \(notCharged("$3")) AND s.customer_id IN (\(list))",
            binds: [.integer(Int64(period.endDay.dayNumber)), .integer(Int64(period.firstDay.dayNumber)), .text(period.description)]
                + customerIDs.map { .text($0) },
            in: executor)
    }

    /// The condition that subscription `s` has no separate charge for the period bound at `parameter` (one that
    /// started after its period was run is charged at once, and the run leaves it out).
    static func notCharged(_ parameter: String) -> String {
        "NOT EXISTS (SELECT 1 FROM subscription_charges c WHERE c.subscription_id = s.id AND c.period = \(parameter))"
    }
}
