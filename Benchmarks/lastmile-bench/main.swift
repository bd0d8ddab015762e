// lastmile-bench: the benchmarks (`measure NAME`, which scripts/bench runs once it has started the servers) and the
// load generators and baselines they drive as child processes.
//
// Every mode is bounded in time and talks to loopback addresses only. A load generator's result goes to standard
// output as one line of `key=value` pairs that `measure` reads; progress and details go to standard error.

import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The benchmark tool's root command.
struct LastmileBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lastmile-bench",
        abstract: "Benchmarks, and the baselines and load generators they drive.",
        subcommands: [
            Measure.self, SearchBench.self, BareServer.self, BcryptRate.self, Logins.self, RedisLoad.self, BillingSeed.self, BillingRunTimed.self,
            BillingCheck.self, BillingPay.self,
            BareInvoiceServer.self,
            EventsBench.self, SupportTicketsLoad.self, SupportSeed.self, SupportQueries.self, SMTPLoad.self, PushLoad.self,
        ]
    )
}

/// Writes one line to standard error.
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Seconds in a `Duration`, as a `Double`.
func secondsIn(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

/// Formats a rate with two decimals.
func formatRate(_ value: Double) -> String {
    String(format: "%.2f", value)
}

// MARK: - bare-server

/// A bare Hummingbird application with one GET route: the baseline that wrk measures.
struct BareServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "Serve GET / with a short string on 127.0.0.1 until stopped."
    )

    @Option(help: "TCP port to listen on (127.0.0.1 only).")
    var port: Int = 8090

    func run() async throws {
        let router = Router()
        router.get("/") { _, _ in "ok" }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "lastmile-bench")
        )
        try await app.runService()
    }
}

// MARK: - bcrypt

/// Measures raw bcrypt hashes per second on several threads at once.
struct BcryptRate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bcrypt",
        abstract: "Hash with bcrypt on N threads for a while and print hashes/s."
    )

    @Option(help: "bcrypt cost (log2 rounds).")
    var cost: UInt8 = 12

    @Option(help: "How long to hash, in seconds.")
    var seconds: Double = 10

    @Option(help: "Threads hashing concurrently.")
    var threads: Int = 2

    func validate() throws {
        guard (4...31).contains(cost) else { throw ValidationError("--cost must be between 4 and 31") }
        guard seconds > 0, threads > 0 else { throw ValidationError("--seconds and --threads must be positive") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let hashes = Atomic<Int>(0)
        let cost = self.cost
        // Plain threads, not tasks: bcrypt blocks, and the point is one busy thread per core.
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            var count = 0
            while clock.now < deadline {
                _ = Bcrypt.hash("bench-password-\(index)-\(count)", cost: cost)
                count += 1
            }
            hashes.add(count, ordering: .relaxed)
        }
        let elapsed = secondsIn(clock.now - start)
        let total = hashes.load(ordering: .relaxed)
        let rate = Double(total) / elapsed
        note("bcrypt: \(total) hashes at cost \(cost) on \(threads) threads in \(String(format: "%.2f", elapsed)) s")
        print(
            "hashes_per_second=\(formatRate(rate)) hashes=\(total) threads=\(threads) cost=\(cost) seconds=\(String(format: "%.2f", elapsed))"
        )
    }
}

// MARK: - logins

/// Drives concurrent password logins against a running platform and prints logins/s.
struct Logins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logins",
        abstract: "POST /api/v1/auth/login concurrently for a while and print logins/s."
    )

    @Option(help: "Base URL of the platform, e.g. http://127.0.0.1:8080 (loopback only).")
    var url: String

    @Option(help: "E-mail of an existing user.")
    var email: String

    @Option(help: "That user's password.")
    var password: String

    @Option(help: "Logins in flight at once.")
    var concurrency: Int = 4

    @Option(help: "How long to run, in seconds.")
    var seconds: Double = 10

    func validate() throws {
        guard let parsed = URL(string: url), let host = parsed.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw ValidationError("--url must be an http URL on a loopback address")
        }
        guard seconds > 0, concurrency > 0 else { throw ValidationError("--seconds and --concurrency must be positive") }
    }

    func run() async throws {
        guard let endpoint = URL(string: url.hasSuffix("/") ? "\(url)api/v1/auth/login" : "\(url)/api/v1/auth/login") else {
            throw ValidationError("bad --url")
        }
        let body = try JSONSerialization.data(withJSONObject: ["email": email, "password": password])
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 30

        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.httpMaximumConnectionsPerHost = concurrency
        let session = URLSession(configuration: sessionConfiguration)
        defer { session.finishTasksAndInvalidate() }

        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let request0 = request
        let results = await withTaskGroup(of: (ok: Int, failed: Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var ok = 0
                    var failed = 0
                    while clock.now < deadline {
                        if await Self.login(session: session, request: request0) { ok += 1 } else { failed += 1 }
                    }
                    return (ok, failed)
                }
            }
            var sum = (ok: 0, failed: 0)
            for await result in group {
                sum.ok += result.ok
                sum.failed += result.failed
            }
            return sum
        }
        let elapsed = secondsIn(clock.now - start)
        let rate = Double(results.ok) / elapsed
        note("logins: \(results.ok) ok, \(results.failed) errors, concurrency \(concurrency), \(String(format: "%.2f", elapsed)) s")
        print(
            "logins_per_second=\(formatRate(rate)) logins=\(results.ok) errors=\(results.failed) concurrency=\(concurrency) seconds=\(String(format: "%.2f", elapsed))"
        )
        if results.ok == 0 {
            note("logins: no login succeeded; check the URL, the user and the password")
            throw ExitCode.failure
        }
    }

    /// One login; true when the platform answered 200 with a body.
    private static func login(session: URLSession, request: URLRequest) async -> Bool {
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { return false }
            return http.statusCode == 200 && !data.isEmpty
        } catch {
            return false
        }
    }
}

/// Runs the command line. Top-level code in main.swift resolves `main()` to ParsableCommand's synchronous
/// overload, so the call sits in an async function where the async overload wins.
func runCommandLine() async {
    await LastmileBench.main()
}

DefaultSignals.execIfAsked()
await runCommandLine()
