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

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 5672, username: String = "guest", password: String = "guest", virtualHost: String = "/",
        tuning: AMQPTuning = AMQPTuning(), connectTimeout: Duration = .seconds(10), connectionName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.virtualHost = virtualHost
        self.tuning = tuning
        self.connectTimeout = connectTimeout
        self.connectionName = connectionName
    }

    /// Reads an `amqp://user:password@host:port/vhost` URL, percent-decoding each part; other settings keep their defaults.
    ///
    /// A missing or empty path means the default virtual host `/` (spelled `%2F` in a path). The query may set
    /// `heartbeat` (seconds), `frame_max`, `channel_max` and `connection_timeout` (milliseconds), as RabbitMQ's URI
    /// specification names them. `amqps://` (TLS) is refused until TLS support lands.
    public init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url), components.scheme == "amqp", let host = components.host, !host.isEmpty else {
            throw AMQPError(code: .invalidConfiguration, message: "expected an amqp://[user[:password]@]host[:port][/vhost] URL")
        }
        func decoded(_ part: String) throws(AMQPError) -> String {
            guard let value = part.removingPercentEncoding else {
                throw AMQPError(code: .invalidConfiguration, message: "invalid percent-encoding in \(part)")
            }
            return value
        }
        self.init(host: host, port: components.port ?? 5672)
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
        for item in components.queryItems ?? [] {
            guard let text = item.value, let value = UInt32(text) else {
                throw AMQPError(code: .invalidConfiguration, message: "query parameter \(item.name) needs a non-negative integer")
            }
            switch item.name {
            case "heartbeat": tuning.heartbeat = UInt16(clamping: value)
            case "frame_max": tuning.frameMax = value
            case "channel_max": tuning.channelMax = UInt16(clamping: value)
            case "connection_timeout": connectTimeout = .milliseconds(value)
            default: break  // other clients' options (TLS, auth mechanism) mean nothing here
            }
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
