import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Platform
import ServerKit
import Storage
import TestSupport
import Testing

@Suite("The seed's login and security flows through the gateway")
struct LoginFlowTests {
    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func loginThenMe(kind: DatabaseKind, topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            let tokens = try await platform.login(client, user.email)
            #expect(tokens["tokenType"] as? String == "Bearer")
            #expect(tokens["expiresIn"] as? Int == 900)
            let access = try #require(tokens["accessToken"] as? String)
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(access)) { response in
                #expect(response.status == .ok)
                let me = try object(response.body)
                #expect(me["id"] as? String == user.id)
                #expect(me["email"] as? String == user.email)
                #expect(me["role"] as? String == "customer")
                #expect(!String(buffer: response.body).contains("password"))
                #expect(response.headers[.init("X-Request-Id")!] != nil)
            }
        }
    }

    @Test(arguments: Topology.allCases)
    func wrongPasswordAndUnknownUserLookTheSame(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            var bodies: [String] = []
            for email in [user.email, "nobody@example.com"] {
                try await client.execute(
                    uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                    body: json(["email": email, "password": "wrong password!"])
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    var problem = try object(response.body)
                    problem["requestId"] = nil
                    bodies.append(String(describing: problem.sorted { $0.key < $1.key }))
                }
            }
            #expect(bodies[0] == bodies[1])
        }
    }

    @Test(arguments: Topology.allCases)
    func revokedSessionIsRefusedOnTheNextRequest(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            let phone = try await platform.login(client, user.email)["accessToken"] as! String
            let laptop = try await platform.login(client, user.email)
            let laptopSession = laptop["sessionId"] as! String
            try await client.execute(uri: "/api/v1/auth/sessions", method: .get, headers: bearer(phone)) { response in
                let items = try object(response.body)["items"] as? [[String: Any]] ?? []
                #expect(items.count == 2)
                #expect(items.filter { $0["current"] as? Bool == true }.count == 1)
            }
            try await client.execute(uri: "/api/v1/auth/sessions/\(laptopSession)", method: .delete, headers: bearer(phone)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(laptop["accessToken"] as! String)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/auth/logout-all", method: .post, headers: bearer(phone)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(phone)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test(arguments: Topology.allCases)
    func refreshRotationOverHTTP(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            let tokens = try await platform.login(client, user.email)
            let refresh = tokens["refreshToken"] as! String
            let rotated = try await client.execute(
                uri: "/api/v1/auth/refresh", method: .post, headers: [.contentType: "application/json"], body: json(["refreshToken": refresh])
            ) { response in
                #expect(response.status == .ok)
                return try object(response.body)
            }
            #expect(rotated["refreshToken"] as? String != refresh)
            try await client.execute(
                uri: "/api/v1/auth/refresh", method: .post, headers: [.contentType: "application/json"], body: json(["refreshToken": refresh])
            ) { response in
                #expect(response.status == .conflict)
                let code = try object(response.body)["code"] as? String
                #expect(code == "refresh-raced")
            }
        }
    }

    @Test(arguments: Topology.allCases)
    func browserSessionUsesHttpOnlyCookiesAndCSRF(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            let (cookies, csrf) = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: json(["email": user.email, "password": TestPlatform.password, "delivery": "cookie"])
            ) { response in
                #expect(response.status == .ok)
                let body = try object(response.body)
                #expect(body["accessToken"] == nil, "tokens stay in httpOnly cookies")
                let setCookies = response.headers[values: .setCookie]
                let access = try #require(setCookies.first { $0.hasPrefix("lm_access=") })
                #expect(access.contains("HttpOnly") && access.contains("Secure") && access.contains("SameSite=Strict"))
                let refresh = try #require(setCookies.first { $0.hasPrefix("lm_refresh=") })
                #expect(refresh.contains("HttpOnly") && refresh.contains("Path=/api/v1/auth"))
                let pairs = setCookies.map { $0.split(separator: ";")[0] }.joined(separator: "; ")
                return (pairs, body["csrfToken"] as! String)
            }
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: [.cookie: cookies]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: [.cookie: cookies]) { response in
                #expect(response.status == .forbidden)
                let code = try object(response.body)["code"] as? String
                #expect(code == "csrf")
            }
            try await client.execute(
                uri: "/api/v1/auth/refresh", method: .post, headers: [.cookie: cookies, .init("X-CSRF-Token")!: csrf]
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("lm_refresh=") })
            }
            try await client.execute(
                uri: "/api/v1/auth/logout", method: .post, headers: [.cookie: cookies, .init("X-CSRF-Token")!: csrf]
            ) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: [.cookie: cookies]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test(arguments: Topology.allCases)
    func passwordResetRequestAnswersTheSameForAnyEmail(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { platform, client in
            let user = try await platform.user(.customer)
            for email in [user.email, "ghost@example.com"] {
                try await client.execute(
                    uri: "/api/v1/auth/password-reset/request", method: .post, headers: [.contentType: "application/json"],
                    body: json(["email": email])
                ) { response in
                    #expect(response.status == .accepted)
                }
            }
        }
    }

    @Test func jwksIsPublic() async throws {
        try await TestPlatform.with { _, client in
            try await client.execute(uri: "/.well-known/jwks.json", method: .get) { response in
                #expect(response.status == .ok)
                let keys = try object(response.body)["keys"] as? [[String: Any]] ?? []
                #expect(keys.first?["alg"] as? String == "EdDSA")
            }
        }
    }
}
