import Contracts
import Foundation
import ServerKit
import Testing

/// Service tokens: what they carry, how long they live, and that a request's calls share one.
@Suite("Service tokens")
struct ServiceTokenTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let user = ActingUser(userID: "u-1", role: .customer, sessionID: "s-1")

    @Test("A token names its caller, callee and user, and verifies only within its lifetime")
    func claimsAndLifetime() async throws {
        let keys = try await ServiceKeys(current: Array(repeating: 1, count: 32))
        let token = try await keys.sign(issuer: "gateway", audience: "billing", actingUser: Self.user, now: Self.start)
        let caller = try await keys.verify(token, now: Self.start.addingTimeInterval(30))
        #expect(caller == ServiceCaller(service: "gateway", audience: "billing", actingUser: Self.user))
        // Remembered or not, an expired token is refused.
        await #expect(throws: ServiceKeyError.invalidToken) {
            try await keys.verify(token, now: Self.start.addingTimeInterval(ServiceKeys.lifetime + 6))
        }
        let other = try await ServiceKeys(current: Array(repeating: 2, count: 32))
        await #expect(throws: ServiceKeyError.invalidToken) { try await other.verify(token, now: Self.start) }
    }

    @Test("Calls within half a lifetime for the same user share a token; another user or a later call gets a new one")
    func signedTokensAreReused() async throws {
        let keys = try await ServiceKeys(current: Array(repeating: 1, count: 32))
        let first = try await keys.sign(issuer: "gateway", audience: "billing", actingUser: Self.user, now: Self.start)
        let again = try await keys.sign(issuer: "gateway", audience: "billing", actingUser: Self.user, now: Self.start.addingTimeInterval(10))
        #expect(again == first)
        let otherUser = try await keys.sign(
            issuer: "gateway", audience: "billing", actingUser: ActingUser(userID: "u-2", role: .customer, sessionID: "s-2"),
            now: Self.start.addingTimeInterval(10))
        #expect(otherUser != first)
        let otherService = try await keys.sign(issuer: "gateway", audience: "customers", actingUser: Self.user, now: Self.start)
        #expect(otherService != first)
        let later = try await keys.sign(
            issuer: "gateway", audience: "billing", actingUser: Self.user, now: Self.start.addingTimeInterval(ServiceKeys.lifetime / 2 + 1))
        #expect(later != first)
        #expect(try await keys.verify(later, now: Self.start.addingTimeInterval(ServiceKeys.lifetime / 2 + 1)).actingUser == Self.user)
    }
}
