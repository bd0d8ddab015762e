import Auth
import Contracts
import Kernel

/// Demo logins created on the first start, with passwords generated on that start and shown once.
public struct DemoCredentials: Sendable {
    /// The operator's e-mail.
    public var adminEmail: String
    /// The operator's password.
    public var adminPassword: String
    /// The subscriber's e-mail.
    public var customerEmail: String
    /// The subscriber's password.
    public var customerPassword: String
}

/// Seeds demo users when the database has none.
public enum DemoData {
    /// Creates a demo admin and a demo customer if there are no users yet; `nil` when users exist.
    public static func seedIfEmpty(auth: AuthService) async throws -> DemoCredentials? {
        guard try await auth.userCount() == 0 else { return nil }
        let credentials = DemoCredentials(
            adminEmail: "admin@demo.lastmile.local", adminPassword: SecureRandom.password(),
            customerEmail: "customer@demo.lastmile.local", customerPassword: SecureRandom.password())
        _ = try await auth.createUser(email: credentials.adminEmail, password: credentials.adminPassword, role: .admin, locale: "ru")
        _ = try await auth.createUser(
            email: credentials.customerEmail, password: credentials.customerPassword, role: .customer, locale: "ru")
        return credentials
    }
}
