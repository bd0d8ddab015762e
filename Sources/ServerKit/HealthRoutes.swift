import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A named readiness check: returns when the dependency answers, throws when it does not.
public struct HealthCheck: Sendable {
    /// The name shown in `/health/ready` (`database`, `redis`, `broker`).
    public var name: String
    /// Whether the process is unready while the check fails; a dependency the requests can do without for a while
    /// (the broker, whose events wait in the outbox) is reported as `down` with the process still ready.
    public var required: Bool
    /// The check.
    public var run: @Sendable () async throws -> Void

    /// Creates a check.
    public init(_ name: String, required: Bool = true, run: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.required = required
        self.run = run
    }
}

/// `GET /health/live`, `GET /health/ready` and `GET /metrics`.
///
/// Liveness is always 200. Readiness runs every check concurrently, each bounded by ``timeout``: 200 with the
/// outcome of each (`ok`, or `down` for a failing check that is not required, the status then `degraded`), or a 503
/// problem naming the failing required checks (their errors are logged, not shown).
/// `/metrics` is for the metrics scraper only (see ``RouteAccess/metricsScraper``).
public struct HealthRoutes: Sendable {
    /// The readiness checks.
    public var checks: [HealthCheck]
    /// The metrics `/metrics` renders; nil leaves `/metrics` out.
    public var metrics: HTTPMetrics?
    /// How long one check may take before it counts as failed.
    public var timeout: Duration

    /// Creates the routes.
    public init(checks: [HealthCheck] = [], metrics: HTTPMetrics? = nil, timeout: Duration = .seconds(2)) {
        self.checks = checks
        self.metrics = metrics
        self.timeout = timeout
    }

    /// The body of a successful readiness answer.
    public struct Readiness: Codable, Sendable, Equatable {
        /// `ok`, or `degraded` when a check that is not required fails.
        public var status: String
        /// Each check's outcome: `ok` or `down`.
        public var checks: [String: String]
    }

    /// Adds the routes.
    public func register(on router: SecureRouter) {
        router.get("/health/live", access: .anonymous, class: .infrastructure) { _, _ -> Response in
            Self.json(#"{"status":"ok"}"#)
        }
        router.get("/health/ready", access: .anonymous, class: .infrastructure) { _, context -> Response in
            let failing = await runChecks(logger: context.logger)
            let optional = Set(checks.filter { !$0.required }.map(\.name))
            let failingRequired = failing.filter { !optional.contains($0) }
            guard failingRequired.isEmpty else {
                throw Problem(
                    .serviceUnavailable, code: "not-ready", title: "Not ready",
                    detail: "Failing checks: \(failingRequired.joined(separator: ", "))", headers: [.retryAfter: "5"])
            }
            let down = Set(failing)
            let readiness = Readiness(
                status: down.isEmpty ? "ok" : "degraded",
                checks: Dictionary(checks.map { ($0.name, down.contains($0.name) ? "down" : "ok") }, uniquingKeysWith: { first, _ in first }))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return Self.json(String(decoding: try encoder.encode(readiness), as: UTF8.self))
        }
        if let metrics {
            router.get("/metrics", access: .metricsScraper, class: .infrastructure) { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: HTTPMetrics.contentType, .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
            }
        }
    }

    /// Runs every check; returns the names of those that failed, sorted.
    public func runChecks(logger: Logger) async -> [String] {
        let timeout = timeout
        return await withTaskGroup(of: (String, (any Error)?).self) { group in
            for check in checks {
                group.addTask {
                    do {
                        try await Self.withTimeout(timeout) { try await check.run() }
                        return (check.name, nil)
                    } catch {
                        return (check.name, error)
                    }
                }
            }
            var failing: [String] = []
            for await (name, error) in group {
                if let error {
                    logger.warning("Readiness check failed", metadata: ["check": .string(name), "error": "\(String(describing: error))"])
                    failing.append(name)
                }
            }
            return failing.sorted()
        }
    }

    struct TimedOut: Error {}

    static func withTimeout(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOut()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
