/// What a ticket is about, as the customer chose it.
public enum TicketCategory: String, Codable, Sendable, CaseIterable, Hashable {
    /// No connection at all.
    case noConnection = "no_connection"
    /// Slow or unstable speed.
    case slowSpeed = "slow_speed"
    /// A question about invoices, payments, the balance.
    case billing
    /// The router, the ONT, cables.
    case equipment
    /// A request to connect a new address or service.
    case connectionRequest = "connection_request"
    /// Anything else.
    case other
}

/// How urgent a ticket is; decides its SLA targets and its place in the queue.
public enum TicketPriority: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    /// Can wait.
    case low
    /// The usual.
    case normal
    /// Soon.
    case high
    /// Now: an outage, a business customer without service.
    case urgent

    /// Its rank: `low` 0 … `urgent` 3.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders by urgency.
    public static func < (lhs: TicketPriority, rhs: TicketPriority) -> Bool { lhs.rank < rhs.rank }
}

/// Where a ticket is in its workflow: new → open → waiting for customer → resolved → closed; a customer's reply
/// reopens a waiting or resolved ticket.
public enum TicketStatus: String, Codable, Sendable, CaseIterable, Hashable {
    /// Created, nobody has answered yet.
    case new
    /// An operator is working on it.
    case open
    /// The operator asked the customer something; the SLA clock is paused.
    case waitingForCustomer = "waiting_for_customer"
    /// Solved; closes by itself some days later unless the customer replies.
    case resolved
    /// Done; a customer's reply opens a new ticket instead.
    case closed

    /// Whether the ticket still needs work (counts towards an operator's load).
    public var isActive: Bool { self == .new || self == .open || self == .waitingForCustomer }
}
