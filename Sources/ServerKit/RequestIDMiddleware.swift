import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Synchronization

extension HTTPField.Name {
    /// `X-Request-Id`: the request id, taken from the caller or generated, echoed on every response.
    public static let xRequestID = HTTPField.Name("X-Request-Id")!
    /// `traceresponse` (W3C Trace Context level 2): the trace this server put the request in, and its span.
    public static let traceresponse = HTTPField.Name("traceresponse")!
}

/// Gives every request an id and a place in a trace: the caller's `X-Request-Id` when it is safe to reuse, else a
/// new one; the caller's W3C `traceparent` when it is valid (continued under a new span id), else a new trace.
///
/// Sets ``AppRequestContext/requestID`` and `TraceContext.current` (read as ``RequestMetadata/requestID`` and
/// ``RequestMetadata/traceparent``; the logging bootstrap's ``RequestMetadata/provider`` adds them to every log line
/// as `request_id` and `trace_id`), and echoes `X-Request-Id` and `traceresponse` on every response, errors
/// included. Install it first, outside every other middleware.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Creates the middleware.
    public init() {}

    /// Whether a caller-supplied id may be reused: 1–128 characters of `A-Z a-z 0-9 . _ -`.
    public static func isAcceptable(_ id: String) -> Bool { TraceContext.isAcceptable(requestID: id) }

    /// A fresh id: 32 lowercase hex digits, unique within the process and, with a random per-process half, across
    /// processes. Ids are not secrets (callers may choose their own), so no system call per request.
    static func generate() -> String {
        let sequence = nextSequence.wrappingAdd(1, ordering: .relaxed).oldValue
        return String(unsafeUninitializedCapacity: 32) { bytes in
            writeHex(processPrefix, into: bytes, at: 0)
            writeHex(mix(sequence), into: bytes, at: 16)
            return 32
        }
    }

    private static let processPrefix = UInt64.random(in: .min ... .max)
    private static let nextSequence = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// SplitMix64's finaliser: a bijection, so distinct sequence numbers stay distinct, and ids do not look sequential.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func writeHex(_ value: UInt64, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            for index in 0..<16 {
                bytes[offset + index] = digits[Int((value >> UInt64(60 - 4 * index)) & 0xF)]
            }
        }
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
        let incoming = request.headers[.traceparent].flatMap { TraceParent(header: $0) }
        let traceparent = incoming?.child() ?? TraceParent.generate()
        // The standard's rule: a `tracestate` goes with the `traceparent` it came with, never with a new trace.
        let tracestate = incoming == nil ? nil : request.headers[.tracestate].flatMap { TraceContext.isAcceptable(tracestate: $0) ? $0 : nil }
        // `request_id` and `trace_id` reach log lines through the task-local and the logging bootstrap's metadata
        // provider, not through the context logger's metadata: writing that copies the logger on every request.
        var response = await TraceContext.$current.withValue(TraceContext(requestID: requestID, traceparent: traceparent, tracestate: tracestate)) {
            do {
                return try await next(request, context)
            } catch {
                // An error escaped every inner middleware: answer it here so the id is still echoed.
                return ProblemMiddleware.problem(for: error, context: context).response(for: request, context: context)
            }
        }
        response.headers[.xRequestID] = requestID
        response.headers[.traceresponse] = traceparent.header
        return response
    }
}
