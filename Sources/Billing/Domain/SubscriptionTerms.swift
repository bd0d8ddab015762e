import Kernel

/// A subscription's history as pricing sees it: service days, tariff segments and pauses.
public struct SubscriptionTerms: Sendable, Hashable {
    /// A half-open range of days `[from, before)`.
    public struct DayRange: Sendable, Hashable {
        /// First day in the range.
        public var from: LocalDate
        /// First day after it.
        public var before: LocalDate

        /// Creates a range.
        public init(from: LocalDate, before: LocalDate) {
            self.from = from
            self.before = before
        }
    }

    /// The end of a range that has none yet (an open suspension): far beyond any period priced.
    public static let untilFurtherNotice = LocalDate(year: 9999, month: 1, day: 1)!

    /// The subscription.
    public var id: String
    /// The customer.
    public var customerID: String
    /// First day of service.
    public var startsOn: LocalDate
    /// Last day of service, if it ends.
    public var endsOn: LocalDate?
    /// Tariff segments as (first day, tariff id), oldest first; the first starts on or before `startsOn`.
    public var tariffs: [(from: LocalDate, tariffID: String)]
    /// Days without service and without charge: pauses, and suspensions for debt (an open one ends on
    /// ``untilFurtherNotice``).
    public var pauses: [DayRange]

    /// Creates terms.
    public init(
        id: String, customerID: String, startsOn: LocalDate, endsOn: LocalDate?, tariffs: [(from: LocalDate, tariffID: String)],
        pauses: [DayRange]
    ) {
        self.id = id
        self.customerID = customerID
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.tariffs = tariffs.sorted { $0.from < $1.from }
        self.pauses = pauses
    }

    /// The tariff in force on `day`.
    public func tariff(on day: LocalDate) -> String? { tariffs.last { $0.from <= day }?.tariffID ?? tariffs.first?.tariffID }

    /// Whether the subscription is paused on `day`.
    public func isPaused(on day: LocalDate) -> Bool { pauses.contains { $0.from <= day && day < $0.before } }

    /// Equal when every field is.
    public static func == (lhs: SubscriptionTerms, rhs: SubscriptionTerms) -> Bool {
        lhs.id == rhs.id && lhs.customerID == rhs.customerID && lhs.startsOn == rhs.startsOn && lhs.endsOn == rhs.endsOn
            && lhs.tariffs.map(\.from) == rhs.tariffs.map(\.from) && lhs.tariffs.map(\.tariffID) == rhs.tariffs.map(\.tariffID)
            && lhs.pauses == rhs.pauses
    }

    /// Hashes the id.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
