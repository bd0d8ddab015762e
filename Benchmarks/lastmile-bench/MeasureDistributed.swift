import ArgumentParser
import BenchKit
import Foundation

/// `measure distributed`: the same requests through a gateway that calls auth, customers and billing in processes of
/// their own, against the all-in-one process, on one PostgreSQL, Redis and RabbitMQ.
struct MeasureDistributed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributed",
        abstract: "Invoices page (≥ 60%), operator payments (≥ 70%) and logins (≥ 90%) distributed vs all-in-one.")

    @OptionGroup var options: MeasureOptions

    @Option(help: "A superuser's URL of the private PostgreSQL's `postgres` database; the benchmark makes a database of its own.")
    var postgresURL: String

    @Option(help: "The private Redis.")
    var redisURL: String

    @Option(help: "The private RabbitMQ.")
    var amqpURL: String

    func run() async throws {
        let bench = try BenchRun("distributed", options: options)
        defer { bench.stopAll() }
        let seconds = bench.tunable("LASTMILE_BENCH_SECONDS", 10)
        let postgres = PostgresServer(bench: bench, url: postgresURL)
        try postgres.psql("postgres", "CREATE DATABASE distributed")
        let shared = [
            "LASTMILE_DATABASE_URL": postgres.url("distributed"), "LASTMILE_REDIS_URL": redisURL, "LASTMILE_AMQP_URL": amqpURL,
            "LASTMILE_DATA_DIR": bench.out.appendingPathComponent("data").path, "LASTMILE_RATE_LIMIT_API": "100000000",
            "LASTMILE_RATE_LIMIT_CREDENTIALS": "100000000", "LASTMILE_RATE_LIMIT_GLOBAL": "100000000", "LASTMILE_LOG_LEVEL": "warning",
            "LASTMILE_SERVICE_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
        ]

        bench.step("all-in-one: lastmile serve (first start: demo data)")
        let allPort = try freePort()
        let all = try bench.start(
            "all-in-one.out", [bench.lastmile, "serve"],
            environment: shared.merging(["LASTMILE_PORT": "\(allPort)", "LASTMILE_DEMO_DATA": "true"]) { $1 })
        let allSite = "http://127.0.0.1:\(allPort)"
        try await bench.waitHTTP("\(allSite)/health/ready", child: all, seconds: 180)
        let logins = try await bench.demoLogins(all)

        bench.step("distributed: auth, customers and billing each in its own process, and a gateway")
        var urls: [String: String] = [:]
        for service in ["auth", "customers", "billing"] {
            let port = try freePort()
            let child = try bench.start(
                "\(service).out", [bench.lastmile, "serve", "--service", service],
                environment: shared.merging(["LASTMILE_PORT": "\(port)", "LASTMILE_DEMO_DATA": "false"]) { $1 })
            try await bench.waitHTTP("http://127.0.0.1:\(port)/health/ready", child: child, seconds: 120)
            urls["LASTMILE_\(service.uppercased())_URL"] = "http://127.0.0.1:\(port)"
        }
        let gatewayPort = try freePort()
        let gateway = try bench.start(
            "gateway.out", [bench.lastmile, "serve", "--service", "gateway"],
            environment: shared.merging(urls) { $1 }.merging(["LASTMILE_PORT": "\(gatewayPort)", "LASTMILE_DEMO_DATA": "false"]) { $1 })
        let gatewaySite = "http://127.0.0.1:\(gatewayPort)"
        try await bench.waitHTTP("\(gatewaySite)/health/ready", child: gateway, seconds: 120)

        // One login serves both: the session is in the shared Redis, the keys in the shared database.
        let customer = try await login(bench, site: allSite, email: logins.customer.email, password: logins.customer.password)
        let admin = try await login(bench, site: allSite, email: logins.admin.email, password: logins.admin.password)
        for site in [allSite, gatewaySite] {
            let (status, body) = try await bench.http("\(site)/api/v1/billing/invoices", headers: ["Authorization": "Bearer \(customer)"])
            guard status == 200, !String(decoding: body, as: UTF8.self).contains("\"missing\":[\"") else {
                throw BenchFailure("GET \(site)/api/v1/billing/invoices answered \(status): \(String(decoding: body, as: UTF8.self).prefix(300))")
            }
        }
        try await bench.awaitEmptyOutbox(site: allSite)

        bench.step("invoices page: gateway → customers and billing over HTTP vs all-in-one, wrk alternating")
        let bearer = "Authorization: Bearer \(customer)"
        let invoices = try await bench.wrkRow(
            "authenticated `GET /api/v1/billing/invoices`: gateway → customers, billing over HTTP vs all-in-one", target: 60,
            ours: ("invoices-distributed", "\(gatewaySite)/api/v1/billing/invoices", [bearer]),
            baseline: ("invoices-all-in-one", "\(allSite)/api/v1/billing/invoices"), baselineHeaders: [bearer])

        bench.step("operator payments: gateway → billing over HTTP vs all-in-one, wrk alternating")
        let ids = try postgres.psql("distributed", "SELECT id FROM customers ORDER BY id LIMIT 1000")
            .split(separator: "\n").map(String.init)
        guard ids.count >= 100 else { throw BenchFailure("only \(ids.count) customers in the demo data") }
        let script = try paymentsScript(bench, customerIDs: ids)
        let payments = try await bench.wrkRow(
            "operator cash payments `POST /api/v1/admin/payments` (a fresh idempotency key each, 1,000 accounts): gateway → billing over HTTP vs all-in-one",
            target: 70, ours: ("payments-distributed", "\(gatewaySite)/api/v1/admin/payments", ["Authorization: Bearer \(admin)"]),
            baseline: ("payments-all-in-one", "\(allSite)/api/v1/admin/payments"), baselineHeaders: ["Authorization: Bearer \(admin)"],
            script: script)

        bench.step("logins (concurrency 4): auth in its own process vs all-in-one, \(seconds) s each, alternating")
        let loginRule = bench.rule(target: 90)
        var loginErrors = 0
        let measureLogins = { (label: String, site: String) throws -> Double in
            let text = try bench.run(
                label,
                [
                    bench.bench, "logins", "--url", site, "--email", logins.customer.email, "--password", logins.customer.password,
                    "--concurrency", "4", "--seconds", "\(seconds)",
                ])
            let values = ToolOutput.values(text, with: "logins_per_second")
            loginErrors += Int(values["errors"] ?? "0") ?? 0
            return Double(values["logins_per_second"] ?? "") ?? 0
        }
        let loginResult = try await measurePairs(
            loginRule, platform: { round in try measureLogins("logins-distributed-\(round).txt", gatewaySite) },
            baseline: { round in try measureLogins("logins-all-in-one-\(round).txt", allSite) }, report: bench.report("logins"))
        let loginRow = Formatting.row(
            "password logins (concurrency 4): gateway → auth over HTTP vs all-in-one",
            "\(Formatting.summary(loginResult.platform, decimals: 2)) logins/s", "\(Formatting.summary(loginResult.baseline, decimals: 2)) logins/s",
            Formatting.ratio(loginResult), "≥ 90%",
            Formatting.verdict(loginRule.verdict(loginResult), problem: loginErrors > 0 ? "\(loginErrors) login errors" : nil))
        bench.stopAll()
        try postgres.psql("postgres", "DROP DATABASE distributed")

        let section = """
            ## distributed

            \(bench.runLine)
            One private PostgreSQL (durable settings), Redis and RabbitMQ started by `scripts/bench`; every process on the same
            machine's cores; load average at the end \(bench.loadAverage). Baseline: `lastmile serve` (all-in-one) over them,
            with its first-start demo data. Ours: `lastmile serve --service auth`, `customers`, `billing` and `gateway`, each
            its own process, over the same servers and database; the gateway calls the others over HTTP with service
            tokens and verifies access tokens itself with auth's published keys. Both answer at once, so a session made by
            one login serves both. wrk `-t2 -c64 -d\(bench.wrkSeconds)s --latency` after a 3 s warm-up; logins \(seconds) s.
            \(bench.method)

            | measurement | distributed | all-in-one | ratio | target | met |
            | --- | --- | --- | --- | --- | --- |
            \(invoices)
            \(payments)
            \(loginRow)
            """
        try bench.finish(section: section)
    }

    /// A wrk script posting 1-kopeck cash payments for the customers in turn, each under a fresh idempotency key.
    private func paymentsScript(_ bench: BenchRun, customerIDs: [String]) throws -> String {
        let file = bench.out.appendingPathComponent("payments.lua")
        let list = customerIDs.map { "\"\($0)\"" }.joined(separator: ",")
        let lua = """
            -- Generated by lastmile-bench measure distributed.
            local ids = {\(list)}
            local counter = 0
            local prefix = ""
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("tid", threads)
            end
            function init(args)
              math.randomseed(os.time() * 100 + tid)
              prefix = tostring(tid) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
            end
            function request()
              counter = counter + 1
              local id = ids[(counter % #ids) + 1]
              local body = '{"customerId":"' .. id .. '","amount":{"amount":1,"currency":"RUB"},"method":"cash"}'
              -- wrk.format uses only the headers it is given: start from the command line's (-H Authorization).
              local headers = {}
              for name, value in pairs(wrk.headers) do headers[name] = value end
              headers["Content-Type"] = "application/json"
              headers["Idempotency-Key"] = prefix .. "-" .. counter
              return wrk.format("POST", nil, headers, body)
            end
            """
        try lua.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
