import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import ServerKit
import Storage
import Testing

@Suite("Bad input gets a 4xx problem+json that names the problem")
struct BadInputTests {
    static func expectProblem(
        _ client: any TestClientProtocol, uri: String = "/api/v1/auth/login", headers: HTTPFields = [.contentType: "application/json"],
        body: ByteBuffer, status: HTTPResponse.Status, field: String? = nil, code: String? = nil
    ) async throws {
        try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response in
            #expect(response.status == status, "\(String(buffer: body).prefix(60)): \(response.status) \(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try object(response.body)
            if let field { #expect(problem["field"] as? String == field) }
            if let code { #expect(problem["code"] as? String == code) }
            #expect(problem["status"] as? Int == Int(status.code))
        }
    }

    @Test func malformedBodiesOnLogin() async throws {
        try await TestPlatform.with { _, client in
            try await Self.expectProblem(client, body: ByteBuffer(string: "{\"email\": "), status: .badRequest, code: "malformed-json")
            try await Self.expectProblem(client, body: json(["email": "a@example.com"]), status: .badRequest, field: "password")
            try await Self.expectProblem(client, body: json(["email": 42, "password": "x"]), status: .badRequest, field: "email")
            try await Self.expectProblem(client, body: json(["email": "a@example.com", "password": ""]), status: .badRequest, field: "password")
            try await Self.expectProblem(
                client, body: json(["email": "a@example.com", "password": "x", "delivery": "carrier-pigeon"]), status: .badRequest, field: "delivery")
            var invalidUTF8 = ByteBuffer(string: "{\"email\": \"")
            invalidUTF8.writeBytes([0xC3, 0x28, 0xFF])
            invalidUTF8.writeString("\", \"password\": \"x\"}")
            try await Self.expectProblem(client, body: invalidUTF8, status: .badRequest, code: "invalid-encoding")
            try await Self.expectProblem(
                client, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "email=a"), status: .unsupportedMediaType)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await TestPlatform.with(configure: { $0.maxBodyBytes = 4096 }) { _, client in
            let huge = json(["email": String(repeating: "a", count: 10_000), "password": "x"])
            try await Self.expectProblem(client, body: huge, status: .contentTooLarge)
        }
    }

    @Test func unknownEnumValueNamesTheField() async throws {
        try await TestPlatform.with { platform, client in
            let admin = try await platform.token(client, role: .admin)
            try await Self.expectProblem(
                client, uri: "/api/v1/admin/users", headers: bearer(admin).merging([.contentType: "application/json"]),
                body: json(["email": "x@example.com", "password": "long enough secret", "role": "superuser"]), status: .badRequest, field: "role")
            try await Self.expectProblem(
                client, uri: "/api/v1/admin/users", headers: bearer(admin).merging([.contentType: "application/json"]),
                body: json(["email": "x@example.com", "password": "short", "role": "customer"]), status: .badRequest, field: "password")
        }
    }
}
