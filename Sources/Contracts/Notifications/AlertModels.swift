import Foundation

/// Alertmanager's webhook payload (version 4), as its `webhook_config` posts it.
public struct AlertmanagerPayload: Codable, Sendable, Hashable {
    /// `4`.
    public var version: String?
    /// The group's key.
    public var groupKey: String?
    /// `firing` or `resolved`, for the group.
    public var status: String
    /// The receiver's name.
    public var receiver: String?
    /// Labels the group shares.
    public var commonLabels: [String: String]?
    /// Annotations the group shares.
    public var commonAnnotations: [String: String]?
    /// Alertmanager's own address.
    public var externalURL: String?
    /// The alerts.
    public var alerts: [AlertmanagerAlert]

    /// Creates a payload.
    public init(status: String, alerts: [AlertmanagerAlert], commonLabels: [String: String]? = nil, externalURL: String? = nil) {
        self.version = "4"
        self.status = status
        self.alerts = alerts
        self.commonLabels = commonLabels
        self.externalURL = externalURL
    }
}

/// One alert of the payload.
public struct AlertmanagerAlert: Codable, Sendable, Hashable {
    /// `firing` or `resolved`.
    public var status: String
    /// Its labels: `alertname`, `severity`, `instance` …
    public var labels: [String: String]
    /// Its annotations: `summary`, `description` …
    public var annotations: [String: String]?
    /// When it started firing.
    public var startsAt: Date
    /// When it ended (a zero date while firing).
    public var endsAt: Date?
    /// The rule's page in Prometheus.
    public var generatorURL: String?
    /// What identifies the alert across notifications.
    public var fingerprint: String

    /// Creates an alert.
    public init(
        status: String, labels: [String: String], annotations: [String: String]? = nil, startsAt: Date, endsAt: Date? = nil,
        generatorURL: String? = nil, fingerprint: String
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }
}

/// How bad an alert is, from its `severity` label; on-call people choose the least they are woken for.
public enum AlertSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    /// For information.
    case info
    /// Needs a look soon.
    case warning
    /// Needs someone now.
    case critical

    /// Order: info < warning < critical.
    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One person on the on-call list administrators keep: where alerts reach them and from what severity.
public struct OnCallEntry: Codable, Sendable, Hashable {
    /// Their name.
    public var name: String
    /// Where e-mailed alerts go.
    public var email: String?
    /// Where texted alerts go.
    public var phone: String?
    /// The least severity they get by e-mail.
    public var emailFrom: AlertSeverity
    /// The least severity they get by text message (texts wake people: critical by default).
    public var smsFrom: AlertSeverity

    /// Creates an entry.
    public init(name: String, email: String?, phone: String?, emailFrom: AlertSeverity = .warning, smsFrom: AlertSeverity = .critical) {
        self.name = name
        self.email = email
        self.phone = phone
        self.emailFrom = emailFrom
        self.smsFrom = smsFrom
    }
}

/// What became of a webhook call.
public struct AlertReceipt: Codable, Sendable, Hashable {
    /// Alerts new to us (by fingerprint, status and start), routed to staff.
    public var accepted: Int
    /// Alerts seen before (Alertmanager repeats a group every `repeat_interval`), dropped.
    public var duplicates: Int
    /// Deliveries queued for them.
    public var deliveries: Int

    /// Creates a receipt.
    public init(accepted: Int, duplicates: Int, deliveries: Int) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.deliveries = deliveries
    }
}
