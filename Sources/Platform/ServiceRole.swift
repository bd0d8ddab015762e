import Foundation

/// What one LastMile process can run: the public gateway, or one of the services behind it.
public enum ServiceRole: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The public API: authentication, rate limits, the REST routes; calls the services.
    case gateway
    /// Users, sessions, tokens.
    case auth
    /// Customers (CRM).
    case customers
    /// Accounts, tariffs, invoices, payments, the monthly run.
    case billing
    /// Tickets, operators, SLA.
    case support
    /// Devices, preferences, the inbox; e-mail, SMS and pushes.
    case notifications

    /// The services behind the gateway.
    public static let services: [ServiceRole] = [.auth, .customers, .billing, .support, .notifications]

    /// The name used on the command line and in settings.
    public var description: String { rawValue }

    /// The prefix of this role's settings: `LASTMILE_BILLING` for `LASTMILE_BILLING_URL`.
    public var settingsPrefix: String { "LASTMILE_\(rawValue.uppercased())" }

    /// Declaration order: the gateway first, then the services.
    public static func < (lhs: ServiceRole, rhs: ServiceRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses `gateway,billing`; throws naming the unknown name.
    public static func parseList(_ text: String, key: String) throws -> Set<ServiceRole> {
        var roles = Set<ServiceRole>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let role = ServiceRole(rawValue: part.lowercased()) else {
                throw SettingsError(key: key, reason: "unknown service \(part); known: \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else { throw SettingsError(key: key, reason: "names no service") }
        return roles
    }
}
