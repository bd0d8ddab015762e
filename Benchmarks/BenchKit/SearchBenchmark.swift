import Contracts
import Customers
import Foundation
import Kernel
import Storage

/// Operator search latency for each kind of key, over whatever customers the database holds.
///
/// Samples real customers (at a random position in id order), turns each into the queries an operator would type,
/// and times the first page of each (the second page for a common family name).
public struct SearchBenchmark: Sendable {
    private let database: any Database
    private let service: CustomersService

    /// Creates the benchmark over a database with customers.
    public init(database: any Database) {
        self.database = database
        self.service = CustomersService(database: database)
    }

    /// Runs `samples` queries of each kind; returns a table of latencies in milliseconds.
    public func run(samples: Int) async throws -> String {
        let total = try await database.first("SELECT COUNT(*) AS n FROM customers")?.int("n") ?? 0
        guard total > 0 else { return "No customers: run `lastmile demo seed` first." }
        var timings: [String: [Double]] = [:]
        var hits: [String: Int] = [:]
        var order: [String] = []
        for _ in 0..<max(1, samples) {
            guard let sample = try await sample(total: total) else { continue }
            for (kind, text, secondPage) in sample.queries {
                if !order.contains(kind) { order.append(kind) }
                var page = PageRequest()
                if secondPage {
                    page.cursor = try await service.search(CustomerSearch(text: text), page: page).nextCursor
                    guard page.cursor != nil else { continue }
                }
                let started = ContinuousClock.now
                let result = try await service.search(CustomerSearch(text: text), page: page)
                let elapsed = (ContinuousClock.now - started).components
                timings[kind, default: []].append(Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
                hits[kind, default: 0] += result.items.count
            }
        }
        var lines = [
            "Operator search over \(total) customers (\(database.dialect.rawValue)), first page of \(PageRequest.defaultLimit), ms:",
            "kind".padding(toLength: 34, withPad: " ", startingAt: 0) + "     n     p50     p95     p99     max  hits/query",
        ]
        for kind in order {
            let sorted = (timings[kind] ?? []).sorted()
            guard !sorted.isEmpty else { continue }
            func percentile(_ share: Double) -> Double { Statistics.percentile(sorted, share) }
            let row = String(
                format: "%6d %7.2f %7.2f %7.2f %7.2f %11.1f", sorted.count, percentile(0.5), percentile(0.95), percentile(0.99), sorted.last ?? 0,
                Double(hits[kind] ?? 0) / Double(sorted.count))
            lines.append(kind.padding(toLength: 34, withPad: " ", startingAt: 0) + row)
        }
        return lines.joined(separator: "\n")
    }

    private struct Sample {
        var fullName: String
        var phone: String?
        var email: String?
        var number: String
        var street: String
        var building: String

        var queries: [(kind: String, text: String, secondPage: Bool)] {
            let words = fullName.split(separator: " ")
            var queries: [(String, String, Bool)] = [
                ("name: family + given", words.prefix(2).joined(separator: " "), false),
                ("name: family only", String(words[0]), false),
                ("name: family only, page 2", String(words[0]), true),
                ("contract number", number, false),
                ("address: street + building", "\(street) \(building)", false),
            ]
            if let phone, phone.hasPrefix("+7"), phone.count == 12 {
                let digits = Array(phone.dropFirst(2))
                queries.append(
                    (
                        "phone: 8 (9xx) xxx-xx-xx",
                        "8 (\(String(digits[0..<3]))) \(String(digits[3..<6]))-\(String(digits[6..<8]))-\(String(digits[8...]))", false
                    ))
                queries.append(("phone: last 4 digits", String(digits.suffix(4)), false))
            }
            if let email {
                queries.append(("e-mail: whole", email, false))
                queries.append(("e-mail: first 5 characters", String(email.prefix(5)), false))
            }
            return queries
        }
    }

    /// A customer at a random position in id order: ids may be random or time-ordered, so a random id to start
    /// from would not spread the samples.
    private func sample(total: Int) async throws -> Sample? {
        let row = try await database.first(
            """
            SELECT c.full_name, c.phone, c.email, k.number, k.street, k.building
            FROM customers c JOIN contracts k ON k.customer_id = c.id
            ORDER BY c.id LIMIT 1 OFFSET $1
            """, Int64.random(in: 0..<Int64(max(1, total))))
        guard let row else { return nil }
        return Sample(
            fullName: try row.string("full_name"), phone: try row.optionalString("phone"), email: try row.optionalString("email"),
            number: try row.string("number"), street: try row.string("street"), building: try row.string("building"))
    }
}
