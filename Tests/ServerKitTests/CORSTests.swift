import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerKit
import Testing

@Suite struct CORSTests {
    let server = TestServer(rateLimits: unlimited, allowedOrigins: ["https://app.example", "https://admin.example/"]) { router in
        router.get("/data", access: .anonymous, class: .api) { _, _ -> String in "data" }
        router.get("/private", access: .permission(.ownAccount), class: .api) { _, _ -> String in "private" }
    }

    @Test func allowedOriginIsEchoed() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/data", method: .get, headers: [.origin: "https://admin.example"])
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "https://admin.example")
            #expect(response.headers[.accessControlAllowCredentials] == "true")
            #expect(response.headers[.accessControlExposeHeaders]?.contains("X-Request-Id") == true)
            #expect(response.headers[.vary] == "Origin")
        }
    }

    @Test func errorsToAllowedOriginsCarryCORSHeaders() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/private", method: .get, headers: [.origin: "https://app.example"])
            #expect(response.status == .unauthorized)
            #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
        }
    }

    @Test func disallowedOriginGetsNoCORSHeaders() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/data", method: .get, headers: [.origin: "https://evil.example"])
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            #expect(response.headers[.accessControlAllowCredentials] == nil)
            #expect(response.headers[.vary] == "Origin")
        }
    }

    @Test func preflightFromAllowedOrigin() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/data", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type"])
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(response.headers[.accessControlAllowCredentials] == "true")
            #expect(response.headers[.accessControlMaxAge] == "600")
            let methods = try #require(response.headers[.accessControlAllowMethods])
            #expect(methods.contains("POST") && methods.contains("DELETE"))
            #expect(response.headers[.accessControlAllowHeaders] == "Authorization, Content-Type, X-Request-Id, X-CSRF-Token, Idempotency-Key")
            #expect(response.headers[.vary] == "Origin")
            #expect(response.headers[.xRequestID] != nil)
        }
    }

    @Test func preflightFromDisallowedOriginIs403() async throws {
        try await server.application().test(.router) { client in
            let response = try await client.execute(
                uri: "/data", method: .options, headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(response.status == .forbidden)
            #expect(try response.problem().code == "cors-origin")
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func varyIsAddedToExistingValues() async throws {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/enc", access: .anonymous, class: .api) { _, _ -> Response in
                Response(status: .ok, headers: [.vary: "Accept-Encoding"])
            }
        }
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/enc", method: .get, headers: [.origin: "https://app.example"])
            #expect(response.headers[values: .vary] == ["Accept-Encoding", "Origin"])
        }
    }
}
