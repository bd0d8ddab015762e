import Foundation
import NIOCore
import NIOSSL

/// TLS for a client's connections: NIOSSL's client settings and the name the server's certificate must carry.
///
/// The NIOSSL context is built once, when the value is created, and shared by every connection made with it, so a bad
/// certificate or key is reported at configuration time rather than on each connect.
public struct ClientTLSConfiguration: Sendable, Hashable {
    /// NIOSSL's settings: trust roots, certificate verification, client certificate, protocol versions.
    public let configuration: TLSConfiguration
    /// The name sent with SNI and checked against the server's certificate; `nil` uses the host connected to (an IP
    /// address is then checked against the certificate's IP addresses and not sent with SNI).
    public var serverName: String?
    /// The NIOSSL context every connection made with these settings shares.
    public let context: NIOSSLContext

    /// Uses NIOSSL's settings as they are.
    public init(_ configuration: TLSConfiguration, serverName: String? = nil) throws(ClientTLSError) {
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClientTLSError("invalid TLS configuration: \(error)")
        }
        self.configuration = configuration
        self.serverName = serverName
    }

    /// Verifies the server's certificate and host name against the system's trust roots, or against the CA
    /// certificates in a PEM file (for a private CA); presents a client certificate when both PEM files are given.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) throws(ClientTLSError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            configuration.trustRoots = .certificates(try Self.load("CA file", at: caFile) { try NIOSSLCertificate.fromPEMFile($0) })
        }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case (let certificateFile?, let keyFile?):
            configuration.certificateChain = try Self.load("client certificate", at: certificateFile) {
                try NIOSSLCertificate.fromPEMFile($0)
            }.map { .certificate($0) }
            configuration.privateKey = .privateKey(try Self.load("client key", at: keyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) })
        default:
            throw ClientTLSError("a client certificate needs both its certificate file and its key file")
        }
        try self.init(configuration, serverName: serverName)
    }

    /// Reads one PEM file, with an error that names the file and says what is wrong with it.
    private static func load<Loaded>(_ what: String, at path: String, _ read: (String) throws -> Loaded) throws(ClientTLSError) -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ClientTLSError("the TLS \(what) \(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw ClientTLSError("the TLS \(what) \(path) is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ClientTLSError("the TLS \(what) \(path) is not readable")
        }
        let loaded: Loaded
        do {
            loaded = try read(path)
        } catch {
            throw ClientTLSError("the TLS \(what) \(path) is not valid PEM: \(error)")
        }
        if let certificates = loaded as? [NIOSSLCertificate], certificates.isEmpty {
            throw ClientTLSError("the TLS \(what) \(path) holds no PEM certificate")
        }
        return loaded
    }

    /// The name for SNI and host-name verification when connecting to `host`, or `nil` when `host` is an IP address.
    public func serverHostname(connectingTo host: String) -> String? {
        if let serverName { return serverName }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (try? SocketAddress(ipAddress: bare, port: 0)) == nil ? host : nil
    }

    /// A client handler for one new connection to `host`.
    public func makeHandler(connectingTo host: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname(connectingTo: host))
    }

    /// Compares NIOSSL's settings as far as NIOSSL can (callbacks are compared by identity) and the server names.
    public static func == (lhs: ClientTLSConfiguration, rhs: ClientTLSConfiguration) -> Bool {
        lhs.serverName == rhs.serverName && lhs.configuration.bestEffortEquals(rhs.configuration)
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(serverName)
        configuration.bestEffortHash(into: &hasher)
    }
}
