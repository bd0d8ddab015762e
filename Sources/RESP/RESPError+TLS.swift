import ClientTLS

extension RESPError {
    /// The error for a connection whose TLS handshake with `host:port` failed with NIOSSL's `error` (`serverName` is the
    /// name it verified, when not the host): the reason in words (untrusted certificate, wrong host name, no TLS on the
    /// port), with BoringSSL's reason code where it gives one.
    static func tlsHandshakeFailed(_ error: any Error, host: String, port: Int, serverName: String?) -> RESPError {
        let code = (error as? RESPError)?.code ?? .connectionLost
        let reason = (error as? RESPError)?.message ?? TLSFailure.reason(error, expectedName: serverName ?? host)
        return RESPError(code: code, message: "TLS handshake with \(host):\(port) failed: \(reason)")
    }
}
