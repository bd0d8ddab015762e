import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Platform
import ServerKit
import Storage
import Testing

@Suite("Sessions and rate limits in Redis")
struct RedisBackedTests {
    @Test(.enabled(if: TestPlatform.redisURL != nil))
    func sessionsLiveInRedisAndRevocationIsImmediate() async throws {
        try await TestPlatform.with(redisURL: TestPlatform.redisURL) { platform, client in
            let user = try await platform.user(.customer)
            let phone = try await platform.login(client, user.email)["accessToken"] as! String
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(phone)) { #expect($0.status == .ok) }
            let rows = try await platform.platform.database.query("SELECT id FROM sessions", [])
            #expect(rows.isEmpty, "with Redis configured no session is written to the database")
            try await client.execute(uri: "/api/v1/auth/logout-all", method: .post, headers: bearer(phone)) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(phone)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("redis"))
            }
        }
    }

    @Test func redisDownFailsClosedForSessionsAndOpenForAPILimits() async throws {
        try await TestPlatform.with(redisURL: TestPlatform.deadRedisURL) { platform, client in
            let forge = try await TokenForge.load(from: platform.platform.database)
            let now = Int(Date().timeIntervalSince1970)
            let token = forge.token(
                header: forge.header,
                claims: [
                    "iss": "lastmile", "aud": "lastmile-api", "sub": "u1", "sid": "s1", "jti": "j1", "role": "customer", "iat": now,
                    "nbf": now, "exp": now + 600,
                ])
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(token)) { response in
                #expect(response.status == .serviceUnavailable, "the session cannot be checked, so the request is refused")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: json(["email": "a@example.com", "password": "whatever it is"])
            ) { response in
                #expect(response.status == .serviceUnavailable, "credential routes are not served without their limiter")
            }
        }
    }
}
