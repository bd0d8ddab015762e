import Foundation
import Kernel

/// A user account was created.
public struct UserRegistered: DomainEvent, Equatable {
    /// `user.registered`
    public static let type = "user.registered"
    /// Schema version.
    public static let version = 1
    /// The new user.
    public var userId: String
    /// The user's e-mail.
    public var email: String
    /// The user's role.
    public var role: Role

    /// Creates the event.
    public init(userId: String, email: String, role: Role) {
        self.userId = userId
        self.email = email
        self.role = role
    }
}

/// Someone asked to reset a password; the notification service delivers the link.
public struct PasswordResetRequested: DomainEvent, Equatable {
    /// `auth.password_reset_requested`
    public static let type = "auth.password_reset_requested"
    /// Schema version.
    public static let version = 1
    /// The user.
    public var userId: String
    /// Where to send the link.
    public var email: String
    /// The single-use reset token to put in the link.
    public var token: String
    /// When the token stops working.
    public var expiresAt: Date
    /// The user's language for the message.
    public var locale: String

    /// Creates the event.
    public init(userId: String, email: String, token: String, expiresAt: Date, locale: String) {
        self.userId = userId
        self.email = email
        self.token = token
        self.expiresAt = expiresAt
        self.locale = locale
    }
}

/// Logins for an account or from an address were locked after repeated failures.
public struct LoginLocked: DomainEvent, Equatable {
    /// `auth.login_locked`
    public static let type = "auth.login_locked"
    /// Schema version.
    public static let version = 1
    /// What was locked: `account` or `ip`.
    public var scope: String
    /// A SHA-256 of the e-mail for account locks, or the IP address.
    public var subject: String
    /// How many failures led to the lock.
    public var failures: Int
    /// Until when.
    public var lockedUntil: Date

    /// Creates the event.
    public init(scope: String, subject: String, failures: Int, lockedUntil: Date) {
        self.scope = scope
        self.subject = subject
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

/// A session was revoked because a used refresh token came back.
public struct RefreshTokenReuseDetected: DomainEvent, Equatable {
    /// `auth.refresh_reuse_detected`
    public static let type = "auth.refresh_reuse_detected"
    /// Schema version.
    public static let version = 1
    /// The user.
    public var userId: String
    /// The revoked session.
    public var sessionId: String
    /// Where the reused token came from.
    public var ipAddress: String

    /// Creates the event.
    public init(userId: String, sessionId: String, ipAddress: String) {
        self.userId = userId
        self.sessionId = sessionId
        self.ipAddress = ipAddress
    }
}

/// A user signed in from a device they had not signed in from before (they had from others): the notification service
/// tells them, in case it was not them.
public struct NewDeviceSignIn: DomainEvent, Equatable {
    /// `auth.new_device_sign_in`
    public static let type = "auth.new_device_sign_in"
    /// Schema version.
    public static let version = 1
    /// The user.
    public var userId: String
    /// What the client called itself (its `device`, else its User-Agent).
    public var device: String
    /// Where from.
    public var ipAddress: String
    /// When.
    public var at: Date
    /// The user's language.
    public var locale: String

    /// Creates the event.
    public init(userId: String, device: String, ipAddress: String, at: Date, locale: String) {
        self.userId = userId
        self.device = device
        self.ipAddress = ipAddress
        self.at = at
        self.locale = locale
    }
}
