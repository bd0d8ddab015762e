import ClientTLS
import NIOSSL

/// TLS for connections to Redis (`rediss://`): NIOSSL's client settings and the name the server's certificate must
/// carry. ``ClientTLSConfiguration`` with this module's errors.
public struct RESPTLSConfiguration: Sendable, Hashable {
    /// The settings.
    public var base: ClientTLSConfiguration

    /// NIOSSL's settings: trust roots, certificate verification, client certificate, protocol versions.
    public var configuration: TLSConfiguration { base.configuration }

    /// The name sent with SNI and checked against the server's certificate; `nil` uses the host connected to (an IP
    /// address is then checked against the certificate's IP addresses and not sent with SNI).
    public var serverName: String? {
        get { base.serverName }
        set { base.serverName = newValue }
    }

    /// Uses NIOSSL's settings as they are.
    public init(_ configuration: TLSConfiguration, serverName: String? = nil) throws(RESPError) {
        do {
            base = try ClientTLSConfiguration(configuration, serverName: serverName)
        } catch {
            throw RESPError(code: .invalidConfiguration, message: error.message)
        }
    }

    /// Verifies the server's certificate and host name against the system's trust roots, or against the CA
    /// certificates in a PEM file (for a private CA); presents a client certificate when both PEM files are given.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) throws(RESPError) {
        do {
            base = try ClientTLSConfiguration(caFile: caFile, certificateFile: certificateFile, keyFile: keyFile, serverName: serverName)
        } catch {
            throw RESPError(code: .invalidConfiguration, message: error.message)
        }
    }

    /// The name for SNI and host-name verification when connecting to `host`, or `nil` when `host` is an IP address.
    func serverHostname(connectingTo host: String) -> String? { base.serverHostname(connectingTo: host) }

    /// A client handler for one new connection to `host`.
    func makeHandler(connectingTo host: String) throws -> NIOSSLClientHandler { try base.makeHandler(connectingTo: host) }
}
