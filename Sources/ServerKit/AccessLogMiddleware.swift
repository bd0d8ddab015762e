import Contracts
import Hummingbird
import Logging

/// Writes one info line per request: method, path without the query string, status, duration, client IP and user.
///
/// The request id comes from the logging bootstrap's metadata provider (see ``RequestMetadata``). Headers and bodies are never
/// logged: the query string, `Authorization` and `Cookie` may carry tokens. Install it after
/// ``AuthenticationMiddleware`` so the user id is known; thrown errors are logged with the status they map to.
public struct AccessLogMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// The level of the access lines.
    public let level: Logger.Level

    /// Creates the middleware.
    public init(level: Logger.Level = .info) {
        self.level = level
    }

    /// Runs the chain and logs its outcome.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), start: start)
            return response
        } catch {
            let status = Problem.mapping(error)?.status.code ?? 500
            log(request, context: context, status: Int(status), start: start)
            throw error
        }
    }

    func log(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        // The production handler gets the line's fields directly: building `Logger.Metadata` for it cost more than
        // anything else the gateway does per request.
        if let handler = context.logger.handler as? BufferedLogHandler {
            let entry = AccessLogEntry(
                clientIP: context.clientIP, duration: elapsed, method: request.method.rawValue, path: request.uri.path, status: status,
                userID: context.identity?.userID)
            handler.log(access: entry, level: level, message: "request", source: "ServerKit")
            return
        }
        var metadata: Logger.Metadata = [
            "http.method": .string(request.method.rawValue),
            "http.path": .string(request.uri.path),
            "http.status": .stringConvertible(status),
            "duration_ms": .string(Self.milliseconds(elapsed)),
            "client_ip": .string(context.clientIP),
        ]
        if let identity = context.identity {
            metadata["user_id"] = .string(identity.userID)
        }
        context.logger.log(level: level, "request", metadata: metadata)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let whole = micros / 1000
        let fraction = micros % 1000
        let padded = String(fraction).count < 3 ? String(repeating: "0", count: 3 - String(fraction).count) + String(fraction) : String(fraction)
        return "\(whole).\(padded)"
    }
}
