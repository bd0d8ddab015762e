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

@Suite("Health and metrics")
struct OperationsTests {
    @Test("Once shutdown begins, readiness answers 503 while liveness and requests still work")
    func readinessTurnsFalseWhenDraining() async throws {
        try await TestPlatform.with { platform, client in
            platform.platform.draining.begin()
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("draining"))
            }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            let token = try await platform.token(client, role: .customer)
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(token)) { #expect($0.status == .ok) }
        }
    }

    @Test func healthAndMetrics() async throws {
        try await TestPlatform.with { platform, client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("database"))
            }
            let token = try await platform.token(client, role: .customer)
            try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: bearer(token)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/auth/sessions/\(UUID().uuidString)", method: .delete, headers: bearer(token)) {
                #expect($0.status == .notFound)
            }
            let text = platform.platform.metrics.render()
            #expect(text.contains(#"route="/api/v1/auth/me""#))
            #expect(text.contains(#"route="/api/v1/auth/sessions/{id}""#))
            #expect(text.contains("http_request_duration_seconds"))
        }
    }
}
