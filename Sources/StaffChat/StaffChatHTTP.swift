import AsyncHTTPClient
import NIOCore

/// The HTTP client the chat channels are best given.
public enum StaffChatHTTP {
    /// A client configuration fit for chat services: no redirects, a 3-second connect deadline, a refused connection
    /// reported at once rather than retried until that deadline.
    public static func clientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
