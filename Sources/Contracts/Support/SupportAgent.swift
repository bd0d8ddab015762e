import Foundation

/// An operator as the support desk knows them: what they can take and whether they are there to take it.
public struct SupportAgent: Codable, Sendable, Hashable {
    /// Their user id.
    public var userId: String
    /// Their name as customers see it.
    public var name: String
    /// The categories they handle.
    public var skills: [TicketCategory]
    /// The languages they answer in (`ru`, `en`).
    public var languages: [String]
    /// Whether they take tickets now.
    public var state: AgentState
    /// The most active tickets they hold at once.
    public var maximumOpenTickets: Int
    /// Active tickets they hold now.
    public var openTickets: Int
    /// A supervisor gets the SLA escalations.
    public var isSupervisor: Bool

    /// Creates the agent.
    public init(
        userId: String, name: String, skills: [TicketCategory], languages: [String], state: AgentState, maximumOpenTickets: Int,
        openTickets: Int, isSupervisor: Bool
    ) {
        self.userId = userId
        self.name = name
        self.skills = skills
        self.languages = languages
        self.state = state
        self.maximumOpenTickets = maximumOpenTickets
        self.openTickets = openTickets
        self.isSupervisor = isSupervisor
    }
}

/// An operator's presence.
public enum AgentState: String, Codable, Sendable, CaseIterable {
    /// Takes new tickets.
    case online
    /// Keeps their tickets, takes no new ones.
    case away
    /// Gone: their unanswered tickets go back to the queue.
    case offline
}

/// What an administrator sets about an operator.
public struct AgentProfile: Codable, Sendable, Hashable {
    /// Their name as customers see it (up to 100 characters).
    public var name: String
    /// The categories they handle (at least one).
    public var skills: [TicketCategory]
    /// The languages they answer in (at least one of `ru`, `en`).
    public var languages: [String]
    /// The most active tickets they hold at once (1…500; the service's default when nil).
    public var maximumOpenTickets: Int?
    /// Whether they get SLA escalations.
    public var isSupervisor: Bool

    /// Creates the profile.
    public init(name: String, skills: [TicketCategory], languages: [String], maximumOpenTickets: Int? = nil, isSupervisor: Bool = false) {
        self.name = name
        self.skills = skills
        self.languages = languages
        self.maximumOpenTickets = maximumOpenTickets
        self.isSupervisor = isSupervisor
    }

    /// Decodes a profile; `maximumOpenTickets` and `isSupervisor` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        skills = try container.decode([TicketCategory].self, forKey: .skills)
        languages = try container.decode([String].self, forKey: .languages)
        maximumOpenTickets = try container.decodeIfPresent(Int.self, forKey: .maximumOpenTickets)
        isSupervisor = try container.decodeIfPresent(Bool.self, forKey: .isSupervisor) ?? false
    }
}
