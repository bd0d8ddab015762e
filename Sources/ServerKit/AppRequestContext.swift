import Contracts
import Foundation
import Hummingbird
import NIOCore

/// The request context of every LastMile HTTP process: who is calling, from where, under which request id.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The caller, once the authentication middleware has verified a token or cookie.
    public var identity: Identity?
    /// Why presented credentials were refused, kept for the route's access check.
    public var authenticationFailure: AuthError?
    /// The calling service, once ``ServiceAuthenticationMiddleware`` has verified its token (internal APIs).
    public var serviceCaller: ServiceCaller?
    /// The request id: passed in `X-Request-Id` or generated.
    public var requestID: String
    /// The client's IP address as seen on the socket.
    public var clientIP: String
    /// The largest body a route decodes; larger bodies get 413.
    public var maxUploadSize: Int

    /// One encoder for every response: Hummingbird's default builds a new `JSONEncoder` per request.
    public var responseEncoder: JSONEncoder { Self.encoder }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = JSONDates.strategy
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    /// Creates the context for a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.authenticationFailure = nil
        self.serviceCaller = nil
        self.requestID = ""
        self.clientIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
        self.maxUploadSize = 1024 * 1024
    }
}

/// The verified caller of a request.
public struct Identity: Sendable, Hashable {
    /// How the caller proved who they are.
    public enum Method: String, Sendable {
        /// `Authorization: Bearer` (mobile app, API clients).
        case bearer
        /// The browser's session cookie; unsafe methods also need the CSRF token.
        case cookie
    }

    /// The user id.
    public var userID: String
    /// The user's role.
    public var role: Role
    /// The session id.
    public var sessionID: String
    /// Bearer or cookie.
    public var method: Method

    /// Creates an identity.
    public init(userID: String, role: Role, sessionID: String, method: Method) {
        self.userID = userID
        self.role = role
        self.sessionID = sessionID
        self.method = method
    }
}
