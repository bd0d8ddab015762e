import ArgumentParser
import BenchKit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `measure auth`: a bearer-authenticated GET against a bare Hummingbird GET, and password logins against raw bcrypt.
struct MeasureAuth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "GET /api/v1/auth/me vs a bare Hummingbird GET (≥ 60%); logins/s vs raw bcrypt cost 12 (≥ 90%).")

    @OptionGroup var options: MeasureOptions

    func run() async throws {
        let bench = try BenchRun("auth", options: options)
        defer { bench.stopAll() }
        let seconds = bench.tunable("LASTMILE_BENCH_SECONDS", 10)

        bench.step("servers: bare Hummingbird and lastmile serve (embedded SQLite)")
        let barePort = try freePort()
        let bare = try bench.start("bare-server.log", [bench.bench, "bare-server", "--port", "\(barePort)"])
        try await bench.waitHTTP("http://127.0.0.1:\(barePort)/", child: bare, seconds: 30)
        let data = bench.out.appendingPathComponent("data").path
        let port = try freePort()
        let environment = [
            "LASTMILE_DATA_DIR": data, "LASTMILE_PORT": "\(port)", "LASTMILE_DEMO_DATA": "false", "LASTMILE_BCRYPT_COST": "12",
            "LASTMILE_RATE_LIMIT_API": "100000000", "LASTMILE_RATE_LIMIT_CREDENTIALS": "100000000", "LASTMILE_RATE_LIMIT_GLOBAL": "100000000",
        ]
        let platform = try bench.start("platform.log", [bench.lastmile, "serve"], environment: environment)
        let site = "http://127.0.0.1:\(port)"
        try await bench.waitHTTP("\(site)/health/ready", child: platform, seconds: 120)
        let email = "bench@example.com"
        let password = "bench-\(UUID().uuidString.prefix(12))"
        try bench.run(
            "users-create.log", [bench.lastmile, "users", "create", "--email", email, "--role", "customer", "--password-stdin"],
            environment: environment, input: password + "\n")
        let token = try await login(bench, site: site, email: email, password: password)
        let bearer = "Authorization: Bearer \(token)"

        bench.step("GET /api/v1/auth/me vs bare GET /: wrk -t2 -c64 -d\(bench.wrkSeconds)s, alternating")
        let meRow = try await bench.wrkRow(
            "`GET /api/v1/auth/me` with bearer JWT vs bare Hummingbird `GET /`", target: 60,
            ours: ("me", "\(site)/api/v1/auth/me", [bearer]), baseline: ("bare", "http://127.0.0.1:\(barePort)/"))

        bench.step("logins (concurrency 4) vs raw bcrypt cost 12 on 2 threads, \(seconds) s each, alternating")
        var loginErrors = 0
        let loginRule = bench.rule(target: 90)
        let logins = try await measurePairs(
            loginRule,
            platform: { round in
                let text = try bench.run(
                    "logins-\(round).txt",
                    [
                        bench.bench, "logins", "--url", site, "--email", email, "--password", password, "--concurrency", "4", "--seconds",
                        "\(seconds)",
                    ])
                let values = ToolOutput.values(text, with: "logins_per_second")
                loginErrors += Int(values["errors"] ?? "0") ?? 0
                return Double(values["logins_per_second"] ?? "") ?? 0
            },
            baseline: { round in
                let text = try bench.run(
                    "bcrypt-\(round).txt", [bench.bench, "bcrypt", "--cost", "12", "--seconds", "\(seconds)", "--threads", "2"])
                return Double(ToolOutput.values(text, with: "hashes_per_second")["hashes_per_second"] ?? "") ?? 0
            }, report: bench.report("logins"))
        bench.stopAll()

        let loginRow = Formatting.row(
            "password logins (concurrency 4) vs raw bcrypt cost 12 on 2 threads",
            "\(Formatting.summary(logins.platform, decimals: 2)) logins/s, \(loginErrors) errors",
            "\(Formatting.summary(logins.baseline, decimals: 2)) hashes/s", Formatting.ratio(logins), "≥ 90%",
            Formatting.verdict(loginRule.verdict(logins), problem: loginErrors > 0 ? "\(loginErrors) login errors" : nil))
        let section = """
            ## auth

            \(bench.runLine)
            wrk: `-t2 -c64 -d\(bench.wrkSeconds)s --latency` after a 3 s warm-up; bcrypt and logins: \(seconds) s each.
            Platform: `lastmile serve` with embedded defaults (SQLite), rate limits raised out of the way, bcrypt cost 12.
            \(bench.method)

            | measurement | platform | baseline | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(meRow)
            \(loginRow)
            """
        try bench.finish(section: section)
    }
}

/// Logs in with a password; the access token.
func login(_ bench: BenchRun, site: String, email: String, password: String) async throws -> String {
    let (status, body) = try await bench.http("\(site)/api/v1/auth/login", method: "POST", json: ["email": email, "password": password])
    guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any], let token = object["accessToken"] as? String
    else { throw BenchFailure("login as \(email) answered \(status): \(String(decoding: body, as: UTF8.self))") }
    return token
}

/// A TCP port on 127.0.0.1 that nothing listens on now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw BenchFailure("cannot bind a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
