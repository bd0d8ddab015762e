import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// `X-Request-Id`: the request id, taken from the caller or generated, echoed on every response.
    public static let xRequestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an id: the caller's `X-Request-Id` when it is safe to reuse, else a new UUID.
///
/// Sets ``AppRequestContext/requestID``, adds `request_id` to the context's logger metadata, and echoes
/// `X-Request-Id` on every response, errors included. Install it first, outside every other middleware.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Creates the middleware.
    public init() {}

    /// Whether a caller-supplied id may be reused: 1–128 characters of `A-Z a-z 0-9 . _ -`.
    public static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// A fresh id: 128 random bits as 32 lowercase hex digits.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }

    /// Assigns the id, runs the chain, and echoes the id.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID: String
        if let given = request.headers[.xRequestID], Self.isAcceptable(given) {
            requestID = given
        } else {
            requestID = Self.generate()
        }
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await RequestMetadata.$requestID.withValue(requestID) { try await next(request, context) }
        } catch {
            // An error escaped every inner middleware: answer it here so the id is still echoed.
            response = ProblemMiddleware.problem(for: error, context: context)
                .response(for: request, context: context)
        }
        response.headers[.xRequestID] = requestID
        return response
    }
}
