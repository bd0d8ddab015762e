import AsyncHTTPClient
import Billing
import Clients
import Contracts
import Foundation
import HTTPTypes
import Kernel
import NIOCore
import NIOHTTP1
import ServerKit
import Testing

/// The internal API answers only LastMile services, and a customer's call only about that customer.
@Suite("Internal API security")
struct InternalAPISecurityTests {
    @Test("Without a valid service token meant for billing, every internal route answers 401")
    func refusesCallersWithoutToken() async throws {
        try await BillingEndpoint.with(.remote) { endpoint in
            let baseURL = try #require(endpoint.baseURL)
            let stranger = try await ServiceKeys(current: Array("another-installation-key-0123456789ab".utf8))
            let keys = try await ServedEndpoint.keys.keys()
            let tokens: [(String, String?)] = [
                ("no token", nil),
                ("garbage", "not-a-jwt"),
                ("another key", try await stranger.sign(issuer: "gateway", audience: "billing", actingUser: nil)),
                ("another audience", try await keys.sign(issuer: "gateway", audience: "customers", actingUser: nil)),
                ("expired", try await keys.sign(issuer: "gateway", audience: "billing", actingUser: nil, now: Date().addingTimeInterval(-600))),
            ]
            for (label, token) in tokens {
                let (status, body) = try await Self.post(baseURL + BillingOperations.verifyLedger.path, token: token, body: "{}")
                #expect(status == 401, "\(label)")
                #expect(body.contains("\"code\":\"service-token\""), "\(label)")
            }
        }
    }

    @Test("A call made for a customer reaches only that customer's account")
    func customerCallsStayWithTheCustomer() async throws {
        try await BillingEndpoint.with(.remote) { endpoint in
            let baseURL = try #require(endpoint.baseURL)
            _ = try await endpoint.service.openAccount(customerID: "c-a", userID: "u-a")
            _ = try await endpoint.service.openAccount(customerID: "c-b", userID: "u-b")
            let keys = try await ServedEndpoint.keys.keys()
            let asA = try await keys.sign(
                issuer: "gateway", audience: "billing", actingUser: ActingUser(userID: "u-a", role: .customer, sessionID: "s-a"))
            let own = try await Self.post(baseURL + BillingOperations.balance.path, token: asA, body: #"{"owner":{"user":{"_0":"u-a"}}}"#)
            #expect(own.status == 200)
            for owner in [#"{"user":{"_0":"u-b"}}"#, #"{"customer":{"_0":"c-b"}}"#, #"{"customer":{"_0":"c-a"}}"#] {
                let other = try await Self.post(baseURL + BillingOperations.balance.path, token: asA, body: #"{"owner":\#(owner)}"#)
                #expect(other.status == 404, "\(owner)")
            }
        }
    }

    @Test("A body that is not the operation's input is a 400 naming the field")
    func badInput() async throws {
        try await BillingEndpoint.with(.remote) { endpoint in
            let baseURL = try #require(endpoint.baseURL)
            let token = try await ServedEndpoint.keys.keys().sign(issuer: "gateway", audience: "billing", actingUser: nil)
            let (status, body) = try await Self.post(baseURL + BillingOperations.tariffs.path, token: token, body: #"{"includeArchived":"yes"}"#)
            #expect(status == 400)
            #expect(body.contains("\"field\":\"includeArchived\""))
        }
    }

    @Test("A service that is not there fails fast with ServiceUnavailable, and its replica is left out")
    func unreachableService() async throws {
        let keys = try await ServedEndpoint.keys.keys()
        try await withHTTPClient { http in
            // Port 1 on loopback: nothing listens, the connection is refused at once.
            let remote = RemoteService(service: "billing", baseURLs: ["http://127.0.0.1:1"], caller: "test", http: http, keys: keys)
            let client = BillingClient(remote: remote)
            for _ in 0..<2 {
                do {
                    _ = try await client.tariffs(includeArchived: false)
                    Issue.record("a call to nothing succeeded")
                } catch let error as ServiceUnavailable {
                    #expect(error.service == "billing")
                    #expect(error.problem?.status == .serviceUnavailable)
                }
            }
        }
    }

    @Test("With one replica down, calls go to the one that answers")
    func failsOverToAnotherReplica() async throws {
        try await BillingEndpoint.with(.remote) { endpoint in
            let keys = try await ServedEndpoint.keys.keys()
            let baseURL = try #require(endpoint.baseURL)
            try await withHTTPClient { http in
                let remote = RemoteService(service: "billing", baseURLs: ["http://127.0.0.1:1", baseURL], caller: "test", http: http, keys: keys)
                let client = BillingClient(remote: remote)
                for _ in 0..<4 {
                    #expect(try await client.tariffs(includeArchived: true).isEmpty)
                    // Opening an account is not repeatable, but a refused connection never sent it: it goes on.
                    _ = try await client.openAccount(customerID: "c-\(UUID().uuidString)", userID: "u-\(UUID().uuidString)")
                }
            }
        }
    }

    static func post(_ url: String, token: String?, body: String) async throws -> (status: Int, body: String) {
        try await withHTTPClient { http in try await send(url, token: token, body: body, http: http) }
    }

    static func send(_ url: String, token: String?, body: String, http: HTTPClient) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "LastMile-Service-Token", value: token) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}
