import Contracts
import Hummingbird
import ServerKit

/// The browser session: the access token and the refresh token in httpOnly, SameSite=Strict cookies, and a CSRF
/// token in a cookie the page's script reads and sends back as `X-CSRF-Token` (double submit).
public struct SessionCookies: Sendable {
    /// Whether cookies carry `Secure`.
    public var secure: Bool
    /// The access-token cookie.
    public static let accessName = AuthenticationMiddleware.defaultCookieName
    /// The refresh-token cookie, sent only to the auth routes.
    public static let refreshName = "lm_refresh"
    /// The CSRF cookie.
    public static let csrfName = RouteSecurity.defaultCSRFCookieName
    static let refreshPath = "/api/v1/auth"

    /// Creates the cookie settings.
    public init(secure: Bool = true) { self.secure = secure }

    /// Sets the three cookies for a token pair, with `csrf` as the CSRF token.
    func set(_ pair: TokenPair, csrf: String, on response: inout Response) {
        response.setCookie(
            Cookie(
                name: Self.accessName, value: pair.accessToken, maxAge: pair.expiresIn, path: "/", secure: secure, httpOnly: true,
                sameSite: .strict))
        response.setCookie(
            Cookie(
                name: Self.refreshName, value: pair.refreshToken, maxAge: pair.refreshExpiresIn, path: Self.refreshPath, secure: secure,
                httpOnly: true, sameSite: .strict))
        response.setCookie(
            Cookie(name: Self.csrfName, value: csrf, maxAge: pair.refreshExpiresIn, path: "/", secure: secure, httpOnly: false, sameSite: .strict))
    }

    /// Expires the three cookies.
    func clear(on response: inout Response) {
        for (name, path) in [(Self.accessName, "/"), (Self.refreshName, Self.refreshPath), (Self.csrfName, "/")] {
            response.setCookie(Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .strict))
        }
    }
}
