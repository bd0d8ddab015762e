import Logging

/// The request id of the task serving a request, so every logger — services' own included — can carry it.
public enum RequestMetadata {
    /// The current request's id, set by ``RequestIDMiddleware`` for the duration of the request.
    @TaskLocal public static var requestID: String?

    /// A metadata provider for `LoggingSystem.bootstrap` that adds `request_id` to every log line written while a
    /// request is served, whichever logger writes it.
    public static let provider = Logger.MetadataProvider {
        guard let requestID else { return [:] }
        return ["request_id": .string(requestID)]
    }
}
