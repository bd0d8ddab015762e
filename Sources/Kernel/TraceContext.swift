/// The request a piece of work is done for: its id and its W3C trace context. It is set for the duration of a
/// request (by the HTTP server's request-id middleware) and of an event's handling (from the event), carried onward
/// by every HTTP call and every event written meanwhile, and added to every log line as `request_id` and `trace_id`.
public struct TraceContext: Sendable, Hashable, Codable {
    /// The request id (`X-Request-Id`).
    public var requestID: String
    /// This hop's trace context; calls onward carry its ``TraceParent/child()``.
    public var traceparent: TraceParent
    /// The caller's W3C `tracestate` (other tracing systems' entries), passed on unchanged with HTTP calls.
    public var tracestate: String?

    /// Creates a context.
    public init(requestID: String, traceparent: TraceParent, tracestate: String? = nil) {
        self.requestID = requestID
        self.traceparent = traceparent
        self.tracestate = tracestate
    }

    /// The same request one hop on: its trace under a new parent id.
    public func onward() -> TraceContext { TraceContext(requestID: requestID, traceparent: traceparent.child(), tracestate: tracestate) }

    /// Whether a caller's `tracestate` may be passed on: at most 512 characters (the standard's 32 entries need no
    /// more in practice) of printable ASCII; anything else is dropped, as the standard allows.
    public static func isAcceptable(tracestate: some StringProtocol) -> Bool {
        let utf8 = tracestate.utf8
        return (1...512).contains(utf8.count) && utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// The context of the work the current task does, if it does it for a request.
    @TaskLocal public static var current: TraceContext?

    /// Whether a caller's request id may be reused: 1–128 characters of `A-Z a-z 0-9 . _ -`, so that it is safe in
    /// a header, a log line and a message property.
    public static func isAcceptable(requestID id: some StringProtocol) -> Bool {
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
}
