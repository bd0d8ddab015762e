import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The reverse proxies (nginx, an Ingress controller, a load balancer) whose `X-Forwarded-For` is believed, as
/// CIDR ranges: `127.0.0.1/32,10.0.0.0/8,fd00::/8`.
///
/// Behind a proxy every request arrives from the proxy's address, so per-IP rate limits and login lock-outs would
/// count all clients as one. A request from a trusted proxy is attributed to the rightmost address of its
/// `X-Forwarded-For` that is not itself a trusted proxy; a request from anywhere else keeps its socket address, so
/// a client cannot choose its own address by sending the header.
public struct TrustedProxies: Sendable, Equatable {
    /// One range: an address's bytes (4 or 16) and how many leading bits must match.
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var bits = prefix
            for index in bytes.indices where bits > 0 {
                let take = min(8, bits)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                guard address[index] & mask == bytes[index] & mask else { return false }
                bits -= take
            }
            return true
        }
    }

    let ranges: [Range]

    /// No proxy is trusted: every request keeps its socket address.
    public static let none = TrustedProxies(ranges: [])

    init(ranges: [Range]) { self.ranges = ranges }

    /// Parses a comma-separated list of addresses and CIDR ranges; nil names the first entry that is neither.
    public init?(parsing list: String, invalid: inout String?) {
        var ranges: [Range] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(of: parts[0]) else {
                invalid = entry
                return nil
            }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...bytes.count * 8).contains(prefix) else {
                invalid = entry
                return nil
            }
            ranges.append(Range(bytes: bytes, prefix: prefix))
        }
        self.ranges = ranges
    }

    /// Whether any proxy is trusted.
    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` is a trusted proxy.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client a request came from: `peer` itself unless it is a trusted proxy; then the rightmost address in
    /// `forwardedFor` (the `X-Forwarded-For` values, in order) that is not a trusted proxy. An entry that is not an
    /// address stops the walk there: what lies left of it cannot be believed.
    public func client(peer: String, forwardedFor: [String]) -> String {
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard Self.bytes(of: hop) != nil else { break }
            client = hop
            if !contains(hop) { break }
        }
        return client
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address reads as IPv4), or nil.
    static func bytes(of text: String) -> [UInt8]? {
        var address = Substring(text)
        if address.hasPrefix("[") && address.hasSuffix("]") { address = address.dropFirst().dropLast() }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(address), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(address), &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
