import Foundation

/// Where and how to connect to a RabbitMQ broker.
public struct AMQPConfiguration: Sendable, Hashable {
    /// The broker's host name or address.
    public var host: String
    /// The broker's TCP port.
    public var port: Int
    /// The user name sent with SASL PLAIN.
    public var username: String
    /// The password sent with SASL PLAIN.
    public var password: String
    /// The virtual host opened after the handshake.
    public var virtualHost: String
    /// The limits the client asks for; each is settled as the smaller non-zero value of the client's and the broker's.
    public var tuning: AMQPTuning
    /// How long connecting and the whole handshake may take.
    public var connectTimeout: Duration
    /// A name for the connection, shown in the broker's management tools.
    public var connectionName: String?
    /// TLS for the connection; `nil` speaks plain TCP.
    public var tls: AMQPTLSConfiguration?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 5672, username: String = "guest", password: String = "guest", virtualHost: String = "/",
        tuning: AMQPTuning = AMQPTuning(), connectTimeout: Duration = .seconds(10), connectionName: String? = nil,
        tls: AMQPTLSConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.virtualHost = virtualHost
        self.tuning = tuning
        self.connectTimeout = connectTimeout
        self.connectionName = connectionName
        self.tls = tls
    }

    /// Reads an `amqp://user:password@host:port/vhost` URL, percent-decoding each part; other settings keep their defaults.
    ///
    /// A missing or empty path means the default virtual host `/` (spelled `%2F` in a path). The query may set
    /// `heartbeat` (seconds), `frame_max`, `channel_max` and `connection_timeout` (milliseconds), as RabbitMQ's URI
    /// specification names them. `amqps://` turns TLS on and makes the default port 5671: the broker's certificate and
    /// host name are verified against the system's trust roots, or against the CA certificates in the PEM file
    /// `tlsCAFile` for a private CA. `tlsCertificateFile` and `tlsKeyFile` (PEM) present a client certificate. The query's
    /// `cacertfile`, `certfile` and `keyfile` name the same files when the arguments do not, and
    /// `server_name_indication` the name the certificate must carry. The files are read here, so a missing or
    /// unreadable one fails now rather than on connecting.
    public init(url: String, tlsCAFile: String? = nil, tlsCertificateFile: String? = nil, tlsKeyFile: String? = nil) throws(AMQPError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme, scheme == "amqp" || scheme == "amqps",
            let host = components.host, !host.isEmpty
        else {
            throw AMQPError(code: .invalidConfiguration, message: "expected an amqp:// or amqps://[user[:password]@]host[:port][/vhost] URL")
        }
        func decoded(_ part: String) throws(AMQPError) -> String {
            guard let value = part.removingPercentEncoding else {
                throw AMQPError(code: .invalidConfiguration, message: "invalid percent-encoding in \(part)")
            }
            return value
        }
        self.init(host: host, port: components.port ?? (scheme == "amqps" ? 5671 : 5672))
        if let user = components.percentEncodedUser { username = try decoded(user) }
        if let password = components.percentEncodedPassword { self.password = try decoded(password) }
        let path = components.percentEncodedPath
        if path.count > 1 {
            let encoded = path.dropFirst()
            guard !encoded.contains("/") else {
                throw AMQPError(code: .invalidConfiguration, message: "a / inside the virtual host must be written %2F")
            }
            virtualHost = try decoded(String(encoded))
        }
        var files = (ca: tlsCAFile, certificate: tlsCertificateFile, key: tlsKeyFile)
        var serverName: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "cacertfile": files.ca = files.ca ?? item.value
            case "certfile": files.certificate = files.certificate ?? item.value
            case "keyfile": files.key = files.key ?? item.value
            case "server_name_indication": serverName = item.value
            case "heartbeat", "frame_max", "channel_max", "connection_timeout":
                guard let text = item.value, let value = UInt32(text) else {
                    throw AMQPError(code: .invalidConfiguration, message: "query parameter \(item.name) needs a non-negative integer")
                }
                switch item.name {
                case "heartbeat": tuning.heartbeat = UInt16(clamping: value)
                case "frame_max": tuning.frameMax = value
                case "channel_max": tuning.channelMax = UInt16(clamping: value)
                default: connectTimeout = .milliseconds(value)
                }
            default: break  // other clients' options (auth mechanism, …) mean nothing here
            }
        }
        if scheme == "amqps" {
            tls = try AMQPTLSConfiguration(caFile: files.ca, certificateFile: files.certificate, keyFile: files.key, serverName: serverName)
        } else if files.ca != nil || files.certificate != nil || files.key != nil {
            throw AMQPError(code: .invalidConfiguration, message: "TLS files were given for an amqp:// URL; use amqps:// to connect with TLS")
        }
    }

    /// The client properties sent in connection.start-ok: who we are and what we can do.
    var clientProperties: AMQPFieldTable {
        var properties: AMQPFieldTable = [
            "product": "LastMile AMQP",
            "platform": "Swift",
            "version": "1",
            "capabilities": .table([
                "publisher_confirms": true,
                "basic.nack": true,
                "consumer_cancel_notify": true,
                "connection.blocked": true,
                "authentication_failure_close": true,
                "exchange_exchange_bindings": true,
            ]),
        ]
        if let connectionName { properties["connection_name"] = .string(connectionName) }
        return properties
    }
}
