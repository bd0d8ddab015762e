import ClientSupport
import ClientTLS

/// Where and how an ``FCMClient`` sends: FCM's host, the service account, TLS and deadlines.
public struct FCMConfiguration: Sendable {
    /// FCM's base URL, `https://fcm.googleapis.com` or a stand-in's.
    public var url: String
    /// The service account whose access tokens authorize the sends; its `tokenURI` is where they come from.
    public var serviceAccount: FCMServiceAccount
    /// TLS settings for FCM and the token endpoint (ALPN `h2` is always offered).
    public var tls: ClientTLSConfiguration
    /// How long connecting and the TLS handshake may take (within each call's own deadline).
    public var connectTimeout: Duration
    /// How long one send may take in all, a token request included, when its call gives no deadline of its own.
    public var requestTimeout: Duration
    /// The pause after a failed connect during which calls fail at once as never sent.
    public var backoff: Backoff

    /// Creates a configuration; `tls` defaults to the system's trust roots.
    public init(
        url: String = "https://fcm.googleapis.com", serviceAccount: FCMServiceAccount, tls: ClientTLSConfiguration? = nil,
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(15), backoff: Backoff = Backoff()
    ) throws(PushError) {
        self.url = url
        self.serviceAccount = serviceAccount
        if let tls { self.tls = tls } else { self.tls = try APNsConfiguration.systemTLS() }
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.backoff = backoff
    }
}
