import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import ServerKit
import Testing

@Suite struct SecureRouterTests {
    let server = TestServer(rateLimits: unlimited) { router in
        let api = router.group("/api/v1")
        api.get("/me", access: .permission(.ownAccount), class: .api) { _, context -> String in
            "\(context.identity!.userID) \(context.identity!.method.rawValue)"
        }
        api.post("/me/password", access: .permission(.ownAccount), class: .api) { _, _ -> String in "changed" }
        api.group("/admin").delete("/users/{id}", access: .permission(.usersManage), class: .api) { request, context -> String in
            "deleted \(context.parameters.get("id") ?? "?")"
        }
        api.post("/auth/login", access: .anonymous, class: .credentials) { _, context -> String in
            context.authenticationFailure == nil ? "fresh" : "stale"
        }
    }

    @Test func noIdentityIs401() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me", method: .get)
            #expect(response.status == .unauthorized)
            #expect(try response.problem().code == "unauthorized")
            #expect(response.headers[.wwwAuthenticate] != nil)
        }
    }

    @Test(arguments: [
        ("Bearer nope", "invalid-token"), ("Basic dXNlcjpwYXNz", "invalid-token"), ("Bearer", "invalid-token"),
        ("Bearer a b", "invalid-token"), ("Bearer revoked-token", "session-revoked"),
    ])
    func refusedCredentialsAre401WithTheReason(header: String, code: String) async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: header])
            #expect(response.status == .unauthorized)
            #expect(try response.problem().code == code)
            #expect(!response.text.contains("unknown test token"))
        }
    }

    @Test(arguments: ["down-token", "boom-token"])
    func unavailableAuthFailsClosedWith503(token: String) async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(token))
            #expect(response.status == .serviceUnavailable)
            #expect(try response.problem().code == "unavailable")
        }
    }

    @Test func publicRoutesWorkWithAStaleHeader() async throws {
        try await server.application().test(.router) { client in
            let stale = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: bearer("revoked-token"))
            #expect(stale.status == .ok)
            #expect(stale.text == "stale")
            let down = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: bearer("down-token"))
            #expect(down.status == .ok)
        }
    }

    @Test func bearerAndCookieIdentities() async throws {
        try await server.application().test(.router) { client in
            let viaBearer = try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer("customer-token"))
            #expect(viaBearer.text == "u-customer bearer")
            let viaCookie = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "a=b; lm_access=agent-token"])
            #expect(viaCookie.text == "u-agent cookie")
        }
    }

    @Test func wrongRoleIs403() async throws {
        try await server.application().test(.router) { client in
            let customer = try await client.execute(uri: "/api/v1/admin/users/u1", method: .delete, headers: bearer("customer-token"))
            #expect(customer.status == .forbidden)
            #expect(try customer.problem().code == "forbidden")
            let agent = try await client.execute(uri: "/api/v1/admin/users/u1", method: .delete, headers: bearer("agent-token"))
            #expect(agent.status == .forbidden)
            let admin = try await client.execute(uri: "/api/v1/admin/users/u1", method: .delete, headers: bearer("admin-token"))
            #expect(admin.status == .ok)
            #expect(admin.text == "deleted u1")
        }
    }

    @Test func csrfIsRequiredForCookieIdentityOnUnsafeMethods() async throws {
        try await server.application().test(.router) { client in
            let cookie = "lm_access=customer-token; lm_csrf=csrf-123"
            let missing = try await client.execute(uri: "/api/v1/me/password", method: .post, headers: [.cookie: cookie])
            #expect(missing.status == .forbidden)
            #expect(try missing.problem().code == "csrf")
            let wrong = try await client.execute(
                uri: "/api/v1/me/password", method: .post, headers: [.cookie: cookie, .xCSRFToken: "csrf-124"])
            #expect(wrong.status == .forbidden)
            let noCookie = try await client.execute(
                uri: "/api/v1/me/password", method: .post, headers: [.cookie: "lm_access=customer-token", .xCSRFToken: ""])
            #expect(noCookie.status == .forbidden)
            let good = try await client.execute(
                uri: "/api/v1/me/password", method: .post, headers: [.cookie: cookie, .xCSRFToken: "csrf-123"])
            #expect(good.status == .ok)
            let safe = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(safe.status == .ok)
        }
    }

    @Test func csrfIsNotRequiredForBearer() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/me/password", method: .post, headers: bearer("customer-token"))
            #expect(response.status == .ok)
        }
    }

    @Test func routeTableRecordsEveryDeclaration() {
        #expect(
            server.secure.routeTable[RouteKey(method: .delete, path: "/api/v1/admin/users/{id}")]
                == RouteRule(access: .permission(.usersManage), routeClass: .api))
        #expect(
            server.secure.routeTable[RouteKey(method: .post, path: "/api/v1/auth/login")] == RouteRule(access: .anonymous, routeClass: .credentials))
        #expect(server.secure.routeTable.count == 4)
        #expect(server.secure.verifyEveryRouteDeclaresAccess() == [])
        #expect(server.secure.describeRoutes().contains("POST /api/v1/auth/login anonymous credentials"))
    }

    @Test func routeWalkFindsAnUndeclaredRoute() {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/declared", access: .anonymous, class: .api) { _, _ -> String in "ok" }
            router.router.get("/sneaky/:id") { _, _ in "no checks" }
            router.router.post("/declared") { _, _ in "other method" }
        }
        #expect(server.secure.verifyEveryRouteDeclaresAccess() == ["POST /declared", "GET /sneaky/{id}"])
    }

    @Test func metricsScraperRules() async throws {
        let server = TestServer(rateLimits: unlimited, metricsToken: "scrape-secret") { router in
            router.get("/scrape", access: .metricsScraper, class: .infrastructure) { _, _ -> String in "metrics" }
        }
        let ip = HTTPField.Name("X-Test-Client-IP")!
        try await server.application().test(.router) { client in
            for loopback in ["127.0.0.1", "127.10.0.3", "::1", "::ffff:127.0.0.1"] {
                #expect(try await client.execute(uri: "/scrape", method: .get, headers: [ip: loopback]).status == .ok)
            }
            let remote = try await client.execute(uri: "/scrape", method: .get, headers: [ip: "203.0.113.5"])
            #expect(remote.status == .unauthorized)
            var wrong = bearer("scrape-secreT")
            wrong[ip] = "203.0.113.5"
            let response1 = try await client.execute(uri: "/scrape", method: .get, headers: wrong)
            #expect(response1.status == .unauthorized)
            var right = bearer("scrape-secret")
            right[ip] = "203.0.113.5"
            let response2 = try await client.execute(uri: "/scrape", method: .get, headers: right)
            #expect(response2.status == .ok)
            // A user's access token is not a scraper credential.
            var user = bearer("admin-token")
            user[ip] = "203.0.113.5"
            let response3 = try await client.execute(uri: "/scrape", method: .get, headers: user)
            #expect(response3.status == .unauthorized)
        }
        let tokenless = TestServer(rateLimits: unlimited, metricsToken: nil) { router in
            router.get("/scrape", access: .metricsScraper, class: .infrastructure) { _, _ -> String in "metrics" }
        }
        try await tokenless.application().test(.router) { client in
            let remote = try await client.execute(uri: "/scrape", method: .get, headers: bearer("anything"))
            #expect(remote.status == .forbidden)
        }
    }

    @Test func loopbackDetection() {
        #expect(ClientAddress.isLoopback("127.0.0.1"))
        #expect(ClientAddress.isLoopback("127.255.255.254"))
        #expect(ClientAddress.isLoopback("::1"))
        #expect(ClientAddress.isLoopback("::FFFF:127.0.0.1"))
        #expect(!ClientAddress.isLoopback("128.0.0.1"))
        #expect(!ClientAddress.isLoopback("127.0.0.1.evil"))
        #expect(!ClientAddress.isLoopback("127.0.0.256"))
        #expect(!ClientAddress.isLoopback("unknown"))
        #expect(!ClientAddress.isLoopback("::2"))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(ConstantTime.equals("", ""))
    }
}
