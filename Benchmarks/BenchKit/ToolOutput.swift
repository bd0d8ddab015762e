/// What the baselines' tools print, read into figures.
public enum ToolOutput {
    /// The figures of one `wrk --latency` run.
    public struct Wrk: Sendable, Equatable {
        /// Requests per second.
        public var requestsPerSecond: Double
        /// The median latency, in milliseconds (0 when not printed: wrk prints it with `--latency`).
        public var p50Milliseconds: Double = 0
        /// The 99th percentile latency, in milliseconds (0 when not printed).
        public var p99Milliseconds: Double
        /// Answers that were not 2xx or 3xx.
        public var non2xx: Int
        /// Connect, read, write and timeout errors.
        public var socketErrors: Int
        /// Non-2xx answers and socket errors together.
        public var errors: Int { non2xx + socketErrors }
    }

    /// Reads wrk's report; nil without a `Requests/sec:` line.
    public static func wrk(_ text: String) -> Wrk? {
        var result = Wrk(requestsPerSecond: 0, p99Milliseconds: 0, non2xx: 0, socketErrors: 0)
        var sawRate = false
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = words.first else { continue }
            if first == "Requests/sec:", words.count >= 2, let rate = Double(words[1]) {
                result.requestsPerSecond = rate
                sawRate = true
            } else if first == "50%", words.count >= 2 {
                result.p50Milliseconds = milliseconds(words[1]) ?? 0
            } else if first == "99%", words.count >= 2 {
                result.p99Milliseconds = milliseconds(words[1]) ?? 0
            } else if line.contains("Non-2xx or 3xx responses:"), let count = Int(words.last ?? "") {
                result.non2xx = count
            } else if first == "Socket", words.count >= 2, words[1] == "errors:" {
                // Socket errors: connect 0, read 1, write 0, timeout 2
                result.socketErrors = words.compactMap { Int($0.filter { $0 != "," }) }.reduce(0, +)
            }
        }
        return sawRate ? result : nil
    }

    /// A wrk duration such as `950.00us`, `9.48ms`, `1.20s` or `1.50m`, in milliseconds.
    public static func milliseconds(_ text: String) -> Double? {
        if text.hasSuffix("us") { return Double(text.dropLast(2)).map { $0 / 1000 } }
        for (suffix, factor) in [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }

    /// pgbench's `tps = …` figure.
    public static func pgbenchTPS(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("tps = ") {
            return Double(line.split(separator: " ")[2])
        }
        return nil
    }

    /// The requests per second of the one test in `redis-benchmark --csv` output.
    public static func redisBenchmarkRate(_ text: String) -> Double? {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2 else { return nil }
        let fields = lines[1].split(separator: ",").map { $0.filter { $0 != "\"" } }
        return fields.count >= 2 ? Double(fields[1]) : nil
    }

    /// The `key=value` pairs of the last line that has `key` among them (the load generators' result lines).
    public static func values(_ text: String, with key: String) -> [String: String] {
        for line in text.split(separator: "\n").reversed() {
            var pairs: [String: String] = [:]
            for word in line.split(separator: " ") {
                guard let equals = word.firstIndex(of: "=") else { continue }
                pairs[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            if pairs[key] != nil { return pairs }
        }
        return [:]
    }
}
