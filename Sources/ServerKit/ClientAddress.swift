/// Facts about a client IP address as the socket reports it.
public enum ClientAddress {
    /// Whether `ip` is a loopback address: `127.0.0.0/8`, `::1`, or an IPv4-mapped `::ffff:127.x.x.x`.
    public static func isLoopback(_ ip: String) -> Bool {
        var address = Substring(ip.lowercased())
        if address.hasPrefix("[") && address.hasSuffix("]") {
            address = address.dropFirst().dropLast()
        }
        if address == "::1" || address == "0:0:0:0:0:0:0:1" { return true }
        if address.hasPrefix("::ffff:") {
            address = address.dropFirst("::ffff:".count)
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            guard let value = Int(octet), (1...3).contains(octet.count) else { return false }
            return (0...255).contains(value)
        }
    }
}
