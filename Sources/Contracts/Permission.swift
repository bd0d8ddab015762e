/// What a route lets its caller do. Routes declare one of these when they are registered.
public enum Permission: String, Codable, Sendable, CaseIterable {
    /// The caller's own account: profile, sessions, password, logout.
    case ownAccount = "own.account"
    /// The caller's own customer data: balance, invoices, payments, tickets.
    case ownCustomerData = "own.customer_data"
    /// Read any user account.
    case usersRead = "users.read"
    /// Create, disable and change the role of user accounts.
    case usersManage = "users.manage"
    /// Read any customer's card, contracts and timeline.
    case customersRead = "customers.read"
    /// Change customers and contracts.
    case customersManage = "customers.manage"
    /// Read any customer's billing data.
    case billingRead = "billing.read"
    /// Enter payments, refunds, run the month.
    case billingManage = "billing.manage"
    /// Work on support tickets.
    case supportWork = "support.work"
    /// Set up the support desk: operators' profiles, priority rules.
    case supportManage = "support.manage"
    /// Read the audit log and operational views.
    case operationsRead = "operations.read"
    /// Write the notifications' templates, send broadcasts, keep the on-call list.
    case notificationsManage = "notifications.manage"
}

/// The role → permission table: the one place that says who may do what.
public enum AccessPolicy {
    /// Every permission each role holds.
    public static let table: [Role: Set<Permission>] = [
        .customer: [.ownAccount, .ownCustomerData],
        .supportAgent: [.ownAccount, .usersRead, .customersRead, .billingRead, .supportWork],
        .billingManager: [.ownAccount, .usersRead, .customersRead, .billingRead, .billingManage],
        .admin: Set(Permission.allCases).subtracting([.ownCustomerData]),
    ]

    /// Whether `role` holds `permission`.
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        table[role]?.contains(permission) ?? false
    }
}
