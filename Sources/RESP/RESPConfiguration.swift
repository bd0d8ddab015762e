import Foundation

/// The protocol version a connection speaks.
public enum RESPProtocolVersion: Int, Sendable, Hashable {
    /// RESP2: no handshake beyond AUTH.
    case resp2 = 2
    /// RESP3: negotiated with `HELLO 3`.
    case resp3 = 3
}

/// Where and how to connect to a Redis server.
public struct RESPConfiguration: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The ACL user name; `nil` authenticates as the default user when a password is set.
    public var username: String?
    /// The password; `nil` skips authentication.
    public var password: String?
    /// The database selected after connecting (`SELECT`); 0 skips the command.
    public var database: Int
    /// RESP2, or RESP3 negotiated with `HELLO 3`.
    public var protocolVersion: RESPProtocolVersion
    /// How long a command may wait for its reply; `nil` waits for ever.
    public var commandTimeout: Duration?
    /// How long establishing the TCP connection may take, and then the TLS handshake when there is one.
    public var connectTimeout: Duration
    /// Limits applied when decoding replies.
    public var decoderLimits: RESPDecoder.Limits
    /// TLS for the connection; `nil` speaks plain TCP.
    public var tls: RESPTLSConfiguration?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0,
        protocolVersion: RESPProtocolVersion = .resp3, commandTimeout: Duration? = .seconds(30), connectTimeout: Duration = .seconds(10),
        decoderLimits: RESPDecoder.Limits = RESPDecoder.Limits(), tls: RESPTLSConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.protocolVersion = protocolVersion
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.decoderLimits = decoderLimits
        self.tls = tls
    }

    /// Reads a `redis://[user[:password]@]host[:port][/database]` URL; other settings keep their defaults.
    ///
    /// `rediss://` turns TLS on (the port still defaults to 6379): the server's certificate and host name are verified
    /// against the system's trust roots, or against the CA certificates in the PEM file `tlsCAFile` for a private CA.
    /// `tlsCertificateFile` and `tlsKeyFile` (PEM) present a client certificate. The files are read here, so a missing
    /// or unreadable one fails now rather than on connecting.
    public init(url: String, tlsCAFile: String? = nil, tlsCertificateFile: String? = nil, tlsKeyFile: String? = nil) throws(RESPError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme, scheme == "redis" || scheme == "rediss",
            let host = components.host, !host.isEmpty
        else {
            throw RESPError(code: .invalidConfiguration, message: "expected a redis:// or rediss://host[:port][/db] URL")
        }
        self.init(host: host, port: components.port ?? 6379)
        if let user = components.user, !user.isEmpty { username = user.removingPercentEncoding ?? user }
        if let password = components.password { self.password = password.removingPercentEncoding ?? password }
        if components.password == nil, username != nil {
            // redis://:password@host puts the password alone; redis://secret@host is treated as a password too.
            self.password = username
            username = nil
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw RESPError(code: .invalidConfiguration, message: "invalid database number \(path)")
            }
            self.database = database
        }
        if scheme == "rediss" {
            tls = try RESPTLSConfiguration(caFile: tlsCAFile, certificateFile: tlsCertificateFile, keyFile: tlsKeyFile)
        } else if tlsCAFile != nil || tlsCertificateFile != nil || tlsKeyFile != nil {
            throw RESPError(code: .invalidConfiguration, message: "TLS files were given for a redis:// URL; use rediss:// to connect with TLS")
        }
    }
}
