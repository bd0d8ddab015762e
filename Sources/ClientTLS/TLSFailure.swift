import Foundation
import NIOSSL

/// Says in words why a TLS handshake failed.
public enum TLSFailure {
    /// The reason, from NIOSSL's error (any other error is described as it is); `expectedName` is the name or
    /// address the server's certificate had to carry.
    public static func reason(_ error: any Error, expectedName: String) -> String {
        switch error {
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "the server's certificate is not valid for \(expectedName)"
        case NIOSSLError.handshakeFailed(.sslError(let stack)):
            let reasons = stack.map(boringSSLReason)
            if reasons.isEmpty { return "the connection closed during the handshake" }
            if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's certificate could not be verified against the trusted CA certificates (CERTIFICATE_VERIFY_FAILED)"
            }
            if reasons.contains("WRONG_VERSION_NUMBER") { return "the server does not speak TLS on this port (WRONG_VERSION_NUMBER)" }
            return clientCertificateRefusal(reasons) ?? reasons.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }

    /// Says in words why an established TLS connection failed; any other error is described as it is. Under TLS 1.3
    /// a server that refuses the client's certificate says so only after the client's side of the handshake is done,
    /// so the refusal arrives here, with the first reply.
    public static func connectionFailure(_ error: any Error) -> String {
        guard case BoringSSLError.sslError(let stack) = error else { return "\(error)" }
        let reasons = stack.map(boringSSLReason)
        return clientCertificateRefusal(reasons) ?? "TLS error: " + (reasons.isEmpty ? "unknown" : reasons.joined(separator: ", "))
    }

    /// The server's alerts about the certificate a client presented.
    private static let clientCertificateAlerts: Set = [
        "TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE", "SSLV3_ALERT_CERTIFICATE_UNKNOWN", "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
        "SSLV3_ALERT_CERTIFICATE_EXPIRED", "SSLV3_ALERT_CERTIFICATE_REVOKED", "TLSV1_ALERT_ACCESS_DENIED",
    ]

    private static func clientCertificateRefusal(_ reasons: [String]) -> String? {
        if let alert = reasons.first(where: { $0 == "TLSV1_ALERT_CERTIFICATE_REQUIRED" }) {
            return "the server requires a client certificate (\(alert))"
        }
        if let alert = reasons.first(where: clientCertificateAlerts.contains) {
            return "the server refused the client certificate (\(alert))"
        }
        return nil
    }

    /// The reason code of one BoringSSL error, e.g. `CERTIFICATE_VERIFY_FAILED` from
    /// `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at …/handshake.cc:299`.
    private static func boringSSLReason(_ error: BoringSSLInternalError) -> String {
        let text = "\(error)"
        let withoutSource = text.range(of: " at ").map { String(text[..<$0.lowerBound]) } ?? text
        let last = withoutSource.split(separator: ":").last.map(String.init) ?? withoutSource
        return last.trimmingCharacters(in: .whitespaces)
    }
}
