import Contracts
import HTTPTypes
import Hummingbird
import Logging

/// Finds out who is calling: `Authorization: Bearer <token>`, or else the access-token cookie.
///
/// A verified token sets ``AppRequestContext/identity`` and ``RequestMetadata/userID``. A refused one sets
/// ``AppRequestContext/authenticationFailure`` and the request goes on: public routes such as login must still
/// work with a stale header, and protected routes answer the failure in their access check (401, or 503 when the
/// session store is down). A present `Authorization` header is the only credential looked at, even if malformed.
public struct AuthenticationMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// The auth service (local object or HTTP client).
    public let auth: any AuthAPI
    /// The name of the access-token cookie.
    public let cookieName: String

    /// The default access-token cookie name.
    public static let defaultCookieName = "lm_access"

    /// Creates the middleware.
    public init(auth: any AuthAPI, cookieName: String = AuthenticationMiddleware.defaultCookieName) {
        self.auth = auth
        self.cookieName = cookieName
    }

    /// Authenticates the request, then runs the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let token: String
        let method: Identity.Method
        if let header = request.headers[.authorization] {
            guard let bearer = Self.bearerToken(header) else {
                context.authenticationFailure = .invalidToken(reason: "malformed Authorization header")
                return try await next(request, context)
            }
            token = bearer
            method = .bearer
        } else if let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty {
            token = cookie
            method = .cookie
        } else {
            return try await next(request, context)
        }
        do {
            let claims = try await auth.authenticate(accessToken: token)
            context.identity = Identity(userID: claims.userID, role: claims.role, sessionID: claims.sessionID, method: method)
        } catch let error as AuthError {
            context.authenticationFailure = error
            if case .invalidToken(let reason) = error {
                context.logger.debug("Access token refused", metadata: ["reason": .string(reason)])
            }
        } catch {
            // The auth service failed in an unforeseen way: protected routes fail closed.
            context.logger.warning("Authentication failed", metadata: ["error.type": "\(type(of: error))"])
            context.authenticationFailure = .unavailable
        }
        guard let identity = context.identity else { return try await next(request, context) }
        // `user_id` reaches log lines through the task-local, like `request_id`: cheaper than copying the logger.
        let user = ActingUser(userID: identity.userID, role: identity.role, sessionID: identity.sessionID)
        return try await RequestMetadata.$actingUser.withValue(user) { try await next(request, context) }
    }

    /// The token of an `Authorization: Bearer <token>` value (RFC 6750 §2.1), or nil when malformed.
    public static func bearerToken(_ header: String) -> String? {
        // Works on the contiguous UTF-8 bytes: this runs on every request.
        var header = header
        return header.withUTF8 { bytes -> String? in
            guard bytes.count > 7, let space = bytes.firstIndex(of: UInt8(ascii: " ")), space == 6 else { return nil }
            for (offset, letter) in "bearer".utf8.enumerated() where bytes[offset] | 0x20 != letter { return nil }
            var start = space + 1
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
            var end = bytes.count
            while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            guard end > start else { return nil }
            let valid = token68Table.withUnsafeBufferPointer { table in
                // A table lookup per byte: the token is a few hundred bytes on every request.
                for index in start..<end where !table[Int(bytes[index])] { return false }
                return true
            }
            guard valid else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    private static let token68Table: [Bool] = (0...255).map { isToken68(UInt8($0)) }

    /// Whether `byte` may appear in a token68 (RFC 7235): `A-Z a-z 0-9 - . _ ~ + / =`, as two 64-bit masks.
    @inline(__always)
    static func isToken68(_ byte: UInt8) -> Bool {
        // Bits 43 (+), 45 (-), 46 (.), 47 (/), 48-57 (0-9), 61 (=).
        let low: UInt64 = 0x23FF_E800_0000_0000
        // Bits 65-90 (A-Z), 95 (_), 97-122 (a-z), 126 (~), minus 64.
        let high: UInt64 = 0x47FF_FFFE_87FF_FFFE
        if byte < 64 { return (low >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high >> UInt64(byte - 64)) & 1 == 1 }
        return false
    }
}
