import Contracts
import Foundation

/// Who hears of an alert and how, and what they read: decided without I/O.
enum AlertRouting {
    /// The kind of an all-clear.
    static let resolvedKind = "alert.resolved"

    /// The kind of a firing alert of `severity`: `alert.firing.critical`.
    static func firingKind(_ severity: AlertSeverity) -> String { "alert.firing.\(severity.rawValue)" }

    /// The alert's severity from its labels (`severity`: critical, warning or info; `page` counts as critical);
    /// warning when it has none.
    static func severity(of alert: AlertmanagerAlert) -> AlertSeverity {
        switch alert.labels["severity"]?.lowercased() {
        case "critical", "page", "error": .critical
        case "info", "none": .info
        default: .warning
        }
    }

    /// The headline and text of an alert, in Russian (staff read alerts as their rules' authors wrote them).
    static func texts(of alert: AlertmanagerAlert, zone: TimeZone) -> (title: String, body: String) {
        let name = alert.labels["alertname"] ?? "alert"
        let summary = alert.annotations?["summary"].map { ": " + $0 } ?? ""
        let resolved = alert.status == "resolved"
        let title =
            resolved ? "Отбой — \(name)\(summary)" : "Тревога [\(severity(of: alert).rawValue)] \(name)\(summary)"
        var lines: [String] = []
        if let description = alert.annotations?["description"] { lines.append(description) }
        let labels = alert.labels.filter { $0.key != "alertname" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if !labels.isEmpty { lines.append(labels.joined(separator: ", ")) }
        lines.append((resolved ? "С " : "Началось ") + TemplateValue.instant(alert.startsAt).formatted(locale: "ru", zone: zone))
        if resolved, let end = alert.endsAt, end > alert.startsAt {
            lines.append("Закончилось " + TemplateValue.instant(end).formatted(locale: "ru", zone: zone))
        }
        return (String(title.prefix(200)), lines.joined(separator: "\n"))
    }
}
