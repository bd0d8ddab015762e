import ClientTLS
import Foundation

/// Where and how an SMTP client connects: server, TLS, credentials, the name it greets with, and deadlines.
public struct SMTPConfiguration: Sendable {
    /// How the connection is secured.
    public enum TLSMode: Sendable, Hashable {
        /// Upgrade with `STARTTLS` and refuse to go on when the server does not offer it (the default: nothing is
        /// sent in clear).
        case startTLS
        /// Upgrade with `STARTTLS` when the server offers it, go on in clear otherwise (opportunistic, for relays
        /// on a trusted network only).
        case startTLSIfOffered
        /// TLS from the first byte (port 465, RFC 8314).
        case implicit
        /// Never TLS (a local relay or a test sink).
        case none
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port (587 for submission, 465 for implicit TLS, 25 for relay).
    public var port: Int
    /// How the connection is secured.
    public var tlsMode: TLSMode
    /// TLS settings: trust roots and the name the server's certificate must carry.
    public var tls: ClientTLSConfiguration
    /// The credentials for `AUTH`, or `nil` to send without authenticating.
    public var credentials: SMTPCredentials?
    /// The name the client gives in `EHLO` (its fully qualified domain name).
    public var clientName: String
    /// How long connecting (and the TLS handshake) may take.
    public var connectTimeout: Duration
    /// How long the server may take to greet and to answer each command.
    public var commandTimeout: Duration
    /// How long the server may take to answer once the whole message is sent (RFC 5321 suggests 10 minutes).
    public var messageTimeout: Duration

    /// Creates a configuration.
    public init(
        host: String, port: Int = 587, tlsMode: TLSMode = .startTLS, tls: ClientTLSConfiguration? = nil, credentials: SMTPCredentials? = nil,
        clientName: String = "localhost", connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(60),
        messageTimeout: Duration = .seconds(600)
    ) throws(SMTPError) {
        self.host = host
        self.port = port
        self.tlsMode = tlsMode
        if let tls {
            self.tls = tls
        } else {
            do {
                self.tls = try ClientTLSConfiguration()
            } catch {
                throw SMTPError(code: .invalidConfiguration, message: error.message)
            }
        }
        self.credentials = credentials
        self.clientName = clientName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.messageTimeout = messageTimeout
    }

    /// Reads `smtp://user:password@host:port` (STARTTLS required, port 587 by default) or `smtps://…` (implicit TLS,
    /// port 465); `?tls=optional` makes STARTTLS opportunistic and `?tls=none` turns TLS off. The user name and
    /// password are percent-decoded.
    public init(url: String, tls: ClientTLSConfiguration? = nil, clientName: String = "localhost") throws(SMTPError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
        else { throw SMTPError(code: .invalidConfiguration, message: "the SMTP URL is not a URL with a host") }
        var mode: TLSMode
        switch scheme {
        case "smtp": mode = .startTLS
        case "smtps": mode = .implicit
        default: throw SMTPError(code: .invalidConfiguration, message: "the SMTP URL's scheme must be smtp or smtps, not \(scheme)")
        }
        switch components.queryItems?.first(where: { $0.name == "tls" })?.value {
        case nil, "required": break
        case "optional" where mode == .startTLS: mode = .startTLSIfOffered
        case "none" where mode == .startTLS: mode = .none
        case let other?: throw SMTPError(code: .invalidConfiguration, message: "the SMTP URL's tls parameter \(other) is not valid here")
        }
        var credentials: SMTPCredentials?
        if let user = components.percentEncodedUser {
            credentials = SMTPCredentials(
                username: user.removingPercentEncoding ?? user,
                password: components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 } ?? "")
        }
        try self.init(
            host: host, port: components.port ?? (mode == .implicit ? 465 : 587), tlsMode: mode, tls: tls, credentials: credentials,
            clientName: clientName)
    }
}

/// A user name and password for `AUTH PLAIN` or `AUTH LOGIN`. Printing it never shows the password.
public struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The user name and a placeholder for the password.
    public var description: String { "\(username):<redacted>" }
    /// The same as ``description``.
    public var debugDescription: String { description }
}
