import Logging

/// The request id and caller of the task serving a request, so every logger — services' own included — can carry them.
public enum RequestMetadata {
    /// The current request's id, set by ``RequestIDMiddleware`` for the duration of the request.
    @TaskLocal public static var requestID: String?
    /// The current request's verified user, set by ``AuthenticationMiddleware`` for the rest of the chain.
    @TaskLocal public static var userID: String?
    /// The signed-in user the request is served for, set by ``AuthenticationMiddleware`` (or, on an internal API, by
    /// ``ServiceAuthenticationMiddleware`` from the service token); service clients sign it into their calls.
    @TaskLocal public static var actingUser: ActingUser?

    /// A metadata provider for `LoggingSystem.bootstrap` that adds `request_id` (and `user_id` once the caller is
    /// known) to every log line written while a request is served, whichever logger writes it.
    public static let provider = Logger.MetadataProvider {
        guard let requestID else { return [:] }
        guard let userID else { return ["request_id": .string(requestID)] }
        return ["request_id": .string(requestID), "user_id": .string(userID)]
    }
}
