import Contracts
import Foundation
import Hummingbird
import ServerKit

/// How a client wants its session: tokens in the body (apps) or cookies (the browser).
enum SessionDelivery: String, Decodable, Sendable {
    case token
    case cookie
}

struct LoginBody: Decodable, Sendable {
    var email: String
    var password: String
    var device: String?
    var delivery: SessionDelivery?
}

struct RefreshBody: Decodable, Sendable {
    var refreshToken: String?
}

struct ChangePasswordBody: Decodable, Sendable {
    var currentPassword: String
    var newPassword: String
}

struct ResetRequestBody: Decodable, Sendable {
    var email: String
}

struct ResetConfirmBody: Decodable, Sendable {
    var token: String
    var newPassword: String
}

struct CreateUserBody: Decodable, Sendable {
    var email: String
    var password: String
    var role: Role
    var locale: String?
}

/// The login answer for apps: the token pair plus its type.
struct TokenResponse: ResponseEncodable, Sendable {
    var tokenType = "Bearer"
    var accessToken: String
    var expiresIn: Int
    var refreshToken: String
    var refreshExpiresIn: Int
    var sessionId: String

    init(_ pair: TokenPair) {
        accessToken = pair.accessToken
        expiresIn = pair.expiresIn
        refreshToken = pair.refreshToken
        refreshExpiresIn = pair.refreshExpiresIn
        sessionId = pair.sessionId
    }
}

/// The login answer for the browser: no tokens, which live in httpOnly cookies.
struct CookieSessionResponse: ResponseEncodable, Sendable {
    var sessionId: String
    var expiresIn: Int
    var csrfToken: String
}

struct SessionList: ResponseEncodable, Sendable {
    var items: [SessionInfo]
}

// Written by `JSONObjectWriter`: `GET /api/v1/auth/me` answers a profile on every authenticated page load.
extension UserProfile: ResponseGenerator {
    /// The profile as `application/json`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse()
    }
}
extension JWKSet: ResponseEncodable {}
