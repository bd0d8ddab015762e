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

@Suite("Rate limits at the gateway")
struct RateLimitTests {
    @Test func loginAttemptsFromOneAddressAreLimited() async throws {
        try await TestPlatform.with(configure: {
            $0.rateLimits.credentials = .perWindow(name: "credentials", limit: 5, seconds: 60)
        }) { _, client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<7 {
                try await client.execute(
                    uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                    body: json(["email": "x@example.com", "password": "whatever it is"])
                ) { response in
                    statuses.append(response.status)
                    #expect(response.headers[.init("RateLimit-Limit")!] == "5")
                    if response.status == .tooManyRequests {
                        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
                        #expect(response.headers[.contentType] == "application/problem+json")
                    }
                }
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 5) + [.tooManyRequests, .tooManyRequests])
        }
    }
}
