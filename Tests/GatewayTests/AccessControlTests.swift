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

@Suite("RBAC: every route declares who may call it")
struct AccessControlTests {
    @Test func everyRegisteredRouteDeclaresItsAccess() async throws {
        try await TestPlatform.with { platform, _ in
            #expect(platform.undeclaredRoutes.isEmpty, "routes without an access rule: \(platform.undeclaredRoutes)")
            #expect(platform.routeTable.count >= 14)
        }
    }

    @Test func everyProtectedRouteRefusesAnonymousCallers() async throws {
        try await TestPlatform.with { platform, client in
            for (key, rule) in platform.routeTable {
                guard case .permission = rule.access else { continue }
                let uri = key.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                try await client.execute(uri: uri, method: key.method, headers: [.contentType: "application/json"], body: json([:])) {
                    response in
                    #expect(response.status == .unauthorized, "\(key) answered \(response.status) without credentials")
                }
            }
        }
    }

    @Test func everyRoleGetsExactlyWhatThePolicyTableGrants() async throws {
        try await TestPlatform.with { platform, client in
            var tokens: [Role: String] = [:]
            for role in Role.allCases { tokens[role] = try await platform.token(client, role: role) }
            for (key, rule) in platform.routeTable {
                guard case .permission(let permission) = rule.access else { continue }
                // Logout routes end the caller's session, so they run last in their own test.
                if key.path.hasSuffix("logout") || key.path.hasSuffix("logout-all") { continue }
                for role in Role.allCases {
                    let uri = key.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                    try await client.execute(
                        uri: uri, method: key.method, headers: bearer(tokens[role]!).merging([.contentType: "application/json"]), body: json([:])
                    ) { response in
                        if AccessPolicy.allows(role, permission) {
                            #expect(response.status != .forbidden && response.status != .unauthorized, "\(role) on \(key): \(response.status)")
                        } else {
                            #expect(response.status == .forbidden, "\(role) on \(key) should be forbidden, got \(response.status)")
                        }
                    }
                }
            }
        }
    }

    @Test func customersCannotCreateUsersButAdminsCan() async throws {
        try await TestPlatform.with { platform, client in
            let body = json(["email": "new.operator@example.com", "password": "a long enough secret", "role": "support_agent"])
            let customer = try await platform.token(client, role: .customer)
            try await client.execute(
                uri: "/api/v1/admin/users", method: .post, headers: bearer(customer).merging([.contentType: "application/json"]), body: body
            ) {
                #expect($0.status == .forbidden)
            }
            let admin = try await platform.token(client, role: .admin)
            try await client.execute(
                uri: "/api/v1/admin/users", method: .post, headers: bearer(admin).merging([.contentType: "application/json"]), body: body
            ) {
                #expect($0.status == .created)
            }
            try await client.execute(
                uri: "/api/v1/admin/users", method: .post, headers: bearer(admin).merging([.contentType: "application/json"]), body: body
            ) {
                #expect($0.status == .conflict)
                let field = try object($0.body)["field"] as? String
                #expect(field == "email")
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}
