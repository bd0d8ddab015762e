import ClientSupport
import ClientTLS

/// Where and how an ``APNsClient`` sends: APNs' host, the signing key, the default topic, TLS and deadlines.
public struct APNsConfiguration: Sendable {
    /// Apple's two hosts.
    public enum Environment: Sendable, Hashable {
        /// `api.push.apple.com`, for apps from the App Store and TestFlight.
        case production
        /// `api.sandbox.push.apple.com`, for development builds.
        case sandbox

        /// The base URL.
        public var url: String {
            switch self {
            case .production: "https://api.push.apple.com"
            case .sandbox: "https://api.sandbox.push.apple.com"
            }
        }
    }

    /// The base URL requests go to (`https://host[:port]`), an ``Environment``'s or a stand-in's.
    public var url: String
    /// The provider authentication key.
    public var key: APNsSigningKey
    /// The `apns-topic` of notifications that name none: the app's bundle id.
    public var topic: String
    /// TLS settings: trust roots and the name the server's certificate must carry (ALPN `h2` is always offered).
    public var tls: ClientTLSConfiguration
    /// How long connecting and the TLS handshake may take (within each call's own deadline).
    public var connectTimeout: Duration
    /// How long one push may take in all when its call gives no deadline of its own.
    public var requestTimeout: Duration
    /// The pause after a failed connect during which calls fail at once as never sent.
    public var backoff: Backoff

    /// Creates a configuration; `tls` defaults to the system's trust roots.
    public init(
        environment: Environment = .production, key: APNsSigningKey, topic: String, tls: ClientTLSConfiguration? = nil,
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(15), backoff: Backoff = Backoff()
    ) throws(PushError) {
        try self.init(
            url: environment.url, key: key, topic: topic, tls: tls, connectTimeout: connectTimeout, requestTimeout: requestTimeout, backoff: backoff)
    }

    /// Creates a configuration for another base URL (a stand-in's).
    public init(
        url: String, key: APNsSigningKey, topic: String, tls: ClientTLSConfiguration? = nil, connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(15), backoff: Backoff = Backoff()
    ) throws(PushError) {
        self.url = url
        self.key = key
        self.topic = topic
        if let tls { self.tls = tls } else { self.tls = try Self.systemTLS() }
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.backoff = backoff
    }

    static func systemTLS() throws(PushError) -> ClientTLSConfiguration {
        do {
            return try ClientTLSConfiguration()
        } catch {
            throw PushError(.invalidConfiguration, error.message)
        }
    }
}
