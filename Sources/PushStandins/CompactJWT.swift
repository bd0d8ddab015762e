import Foundation

/// A JSON Web Token in compact form (RFC 7519) taken apart: its header and claims as JSON objects, the text that was
/// signed and the signature's bytes. Checking the signature is the caller's, with the key it trusts.
struct CompactJWT {
    var header: [String: Any]
    var claims: [String: Any]
    var signingInput: Data
    var signature: Data

    /// Parses `text`, or returns `nil` when it is not three base64url parts of which the first two are JSON objects.
    init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.decode(parts[0]), let claimBytes = Self.decode(parts[1]),
            let signature = Self.decode(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: headerBytes)) as? [String: Any],
            let claims = (try? JSONSerialization.jsonObject(with: claimBytes)) as? [String: Any]
        else { return nil }
        self.header = header
        self.claims = claims
        self.signature = signature
        signingInput = Data(text[..<parts[1].endIndex].utf8)
    }

    /// A numeric claim (seconds since the epoch), or `nil`.
    func seconds(_ claim: String) -> Int? { (claims[claim] as? NSNumber)?.intValue }

    private static func decode(_ part: Substring) -> Data? {
        guard part.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: text)
    }
}
