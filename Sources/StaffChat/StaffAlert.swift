/// An alert for the staff's chat: what happened, how bad it is, and where to look.
public struct StaffAlert: Sendable, Hashable {
    /// A short headline, shown in bold.
    public var title: String
    /// The details; plain text (each channel escapes it).
    public var text: String
    /// How bad it is.
    public var severity: StaffAlertSeverity
    /// Where to look (a dashboard, a ticket), if anywhere.
    public var link: String?

    /// An alert.
    public init(title: String, text: String = "", severity: StaffAlertSeverity = .info, link: String? = nil) {
        self.title = title
        self.text = text
        self.severity = severity
        self.link = link
    }
}

/// How bad an alert is; sets its colour, its marker and whether a chat rings for it.
public enum StaffAlertSeverity: String, Sendable, Hashable, CaseIterable {
    /// For information.
    case info
    /// Needs a look soon.
    case warning
    /// Needs someone now.
    case critical
    /// What was alerted has cleared (Alertmanager's `resolved`).
    case resolved

    /// The attachment colour Slack and Mattermost draw along the message.
    public var colour: String {
        switch self {
        case .info: "#2E86DE"
        case .warning: "#F0A30A"
        case .critical: "#D0021B"
        case .resolved: "#2EB67D"
        }
    }

    /// Whether the alert should ring: information and all-clears arrive without a sound.
    public var rings: Bool { self == .warning || self == .critical }

    /// The marker put before the title where there is no colour.
    public var marker: String {
        switch self {
        case .info: "ℹ️"
        case .warning: "⚠️"
        case .critical: "🔴"
        case .resolved: "✅"
        }
    }
}

/// What a chat answered to an alert.
public enum StaffChatOutcome: Sendable, Equatable {
    /// Posted.
    case delivered
    /// Rate-limited or the chat service failing: post again, after the delay when it gave one.
    case retry(after: Duration?)
    /// Refused for good (bad token, unknown chat, malformed message): `reason` is its explanation.
    case refused(status: Int, reason: String)
}

/// Why an alert could not be tried, or its fate is unknown. A chat's refusal is a ``StaffChatOutcome`` instead.
public enum StaffChatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request never left (no connection).
    case unreachable(String)
    /// The request may have arrived and no answer came: posting again may show it twice.
    case outcomeUnknown(String)

    /// A sentence for logs; it never holds the webhook URL or the bot token.
    public var description: String {
        switch self {
        case .unreachable(let reason): "the chat was not reached: \(reason)"
        case .outcomeUnknown(let reason): "the chat's answer is unknown: \(reason)"
        }
    }
}

/// A staff chat alerts go to.
public protocol StaffChatChannel: Sendable {
    /// The kind of chat, for logs (`webhook`, `telegram`); never its address.
    var kind: String { get }

    /// Posts `alert`.
    func post(_ alert: StaffAlert) async throws(StaffChatError) -> StaffChatOutcome
}
