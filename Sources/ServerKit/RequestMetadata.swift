import Kernel
import Logging

/// The request id, trace context and caller of the task serving a request, so every logger — services' own
/// included — can carry them.
public enum RequestMetadata {
    /// The current request's id, set by ``RequestIDMiddleware`` (through `TraceContext.current`) for the duration of
    /// the request, and by event consumers for the handling of an event a request caused.
    public static var requestID: String? { TraceContext.current?.requestID }
    /// The current request's W3C trace context, set beside ``requestID``.
    public static var traceparent: TraceParent? { TraceContext.current?.traceparent }
    /// The caller's W3C `tracestate`, passed on with calls to other services.
    public static var tracestate: String? { TraceContext.current?.tracestate }
    /// The current request's verified user: the ``actingUser``'s id.
    public static var userID: String? { actingUser?.userID }
    /// The signed-in user the request is served for, set by ``AuthenticationMiddleware`` (or, on an internal API, by
    /// ``ServiceAuthenticationMiddleware`` from the service token); service clients sign it into their calls.
    @TaskLocal public static var actingUser: ActingUser?

    /// A metadata provider for `LoggingSystem.bootstrap` that adds `request_id` and `trace_id` (and `user_id` once
    /// the caller is known) to every log line written while a request or an event it caused is handled, whichever
    /// logger writes it.
    public static let provider = Logger.MetadataProvider {
        guard let context = TraceContext.current else { return [:] }
        var metadata: Logger.Metadata = ["request_id": .string(context.requestID), "trace_id": .string(context.traceparent.traceID)]
        if let userID { metadata["user_id"] = .string(userID) }
        return metadata
    }
}
