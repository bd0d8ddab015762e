/// One rule that weighs on a new ticket's priority or routing: when its condition holds, its effect applies and the
/// ticket records it among its reasons.
///
/// Rules are data: operators list and replace them (`GET`/`PUT /api/v1/admin/support/priority-rules`); the
/// defaults (``PriorityRule/defaults``) apply until they do.
public struct PriorityRule: Codable, Sendable, Hashable {
    /// A stable name, shown as the reason's rule.
    public var id: String
    /// When it fires.
    public var when: PriorityCondition
    /// The priority it sets at least, if any.
    public var atLeast: TicketPriority?
    /// Raises the priority by this many steps (after every `atLeast`), if any.
    public var raiseBy: Int?
    /// The category it routes the ticket to, if any.
    public var routeTo: TicketCategory?
    /// Whether it applies.
    public var enabled: Bool

    /// Creates the rule.
    public init(
        id: String, when: PriorityCondition, atLeast: TicketPriority? = nil, raiseBy: Int? = nil, routeTo: TicketCategory? = nil,
        enabled: Bool = true
    ) {
        self.id = id
        self.when = when
        self.atLeast = atLeast
        self.raiseBy = raiseBy
        self.routeTo = routeTo
        self.enabled = enabled
    }
}

/// The condition of a ``PriorityRule``. Exactly one kind, with its own fields.
public struct PriorityCondition: Codable, Sendable, Hashable {
    /// What a condition looks at.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The ticket's category is one of `categories`.
        case category
        /// The customer's service is suspended for debt.
        case suspended
        /// One of the customer's tariffs has a name containing one of `words` (case-insensitive).
        case tariff
        /// The subject or text contains one of `words` (case-insensitive, Russian or English).
        case keyword
        /// The customer opened at least `count` tickets (this one included) in the same category within `days` days.
        case repeated
        /// A known outage covers the customer's address.
        case outage
    }

    /// The kind.
    public var kind: Kind
    /// For `category`.
    public var categories: [TicketCategory]?
    /// For `tariff` and `keyword`.
    public var words: [String]?
    /// For `repeated`.
    public var count: Int?
    /// For `repeated`.
    public var days: Int?

    /// Creates the condition.
    public init(kind: Kind, categories: [TicketCategory]? = nil, words: [String]? = nil, count: Int? = nil, days: Int? = nil) {
        self.kind = kind
        self.categories = categories
        self.words = words
        self.count = count
        self.days = days
    }
}

/// Why a ticket has its priority or category: one fired rule.
public struct PriorityReason: Codable, Sendable, Hashable {
    /// The rule's id (`base` for the category's starting point).
    public var rule: String
    /// What it looked at.
    public var kind: PriorityCondition.Kind
    /// What matched: the keyword, the tariff, the count, the outage.
    public var detail: String?
    /// The priority after it.
    public var priority: TicketPriority
    /// The category it routed to, if it did.
    public var routedTo: TicketCategory?

    /// Creates the reason.
    public init(rule: String, kind: PriorityCondition.Kind, detail: String?, priority: TicketPriority, routedTo: TicketCategory? = nil) {
        self.rule = rule
        self.kind = kind
        self.detail = detail
        self.priority = priority
        self.routedTo = routedTo
    }
}
