import Auth
import Clients
import Contracts
import Crypto
import Foundation
import Kernel
import Synchronization
import Testing

/// A process without auth (a gateway) authenticates access tokens itself, with auth's published keys fetched
/// through the client and the session store it shares with auth: no call to auth per request, revocation at once,
/// rotation followed, forgeries refused, and when auth cannot be reached a key it does not know fails closed.
@Suite("Access tokens verified with auth's published keys")
struct PublishedKeysTests {
    @Test("Tokens verify without a call to auth for each; a logout is refused at once")
    func verifiesWithoutCallingAuth() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let first = try await endpoint.login(user)
            let second = try await endpoint.login(user)
            for _ in 0..<5 {
                #expect(try await api.authenticate(accessToken: first.accessToken).sessionID == first.sessionId)
                #expect(try await api.authenticate(accessToken: second.accessToken).sessionID == second.sessionId)
            }
            #expect(endpoint.keyFetches.count == 1)
            try await api.logout(sessionID: first.sessionId)
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: first.accessToken) }
            #expect(try await api.authenticate(accessToken: second.accessToken).sessionID == second.sessionId)
            #expect(endpoint.keyFetches.count == 1)
        }
    }

    @Test("After a key rotation, a token signed by the new key verifies: its unknown kid fetches the keys again")
    func followsRotation() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let before = try await endpoint.login(user)
            _ = try await api.authenticate(accessToken: before.accessToken)
            let newKid = try await endpoint.service.rotateSigningKey()
            endpoint.clock.advance(by: endpoint.settings.keyPublicationDelay + 1)
            let after = try await endpoint.login(user)
            #expect(try Self.header(of: after.accessToken)["kid"] as? String == newKid)
            #expect(try await api.authenticate(accessToken: after.accessToken).sessionID == after.sessionId)
            #expect(try await api.authenticate(accessToken: before.accessToken).sessionID == before.sessionId)
            #expect(endpoint.keyFetches.count == 2)
        }
    }

    @Test("Right after a rotation, a gateway that fetched the keys a moment before still verifies every new token")
    func rotationLeavesNoGap() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let before = try await endpoint.login(user)
            _ = try await api.authenticate(accessToken: before.accessToken)
            let newKid = try await endpoint.service.rotateSigningKey()
            // Its keys are not due for a fetch yet: the new key is published, and does not sign until they are.
            let soon = try await endpoint.login(user)
            #expect(try Self.header(of: soon.accessToken)["kid"] as? String != newKid)
            #expect(try await api.authenticate(accessToken: soon.accessToken).sessionID == soon.sessionId)
            #expect(endpoint.keyFetches.count == 1)
            endpoint.clock.advance(by: endpoint.settings.keyPublicationDelay + 1)
            let after = try await endpoint.login(user)
            #expect(try Self.header(of: after.accessToken)["kid"] as? String == newKid)
            #expect(try await api.authenticate(accessToken: after.accessToken).sessionID == after.sessionId)
        }
    }

    @Test("A token signed by a foreign key is refused, whether it names auth's key id or its own")
    func refusesForeignKeys() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user(.admin)
            let genuine = try await endpoint.login(user)
            _ = try await api.authenticate(accessToken: genuine.accessToken)
            let foreign = Curve25519.Signing.PrivateKey()
            let sameKid = try Self.resign(genuine.accessToken, with: foreign)
            var header = try Self.header(of: genuine.accessToken)
            header["kid"] = "foreign-key"
            let ownKid = try Self.resign(genuine.accessToken, with: foreign, header: header)
            endpoint.clock.advance(by: 6)
            for forged in [sameKid, ownKid] {
                let error = try await authError { _ = try await api.authenticate(accessToken: forged) }
                guard case .invalidToken = error else {
                    Issue.record("a forged token: \(String(describing: error))")
                    continue
                }
            }
            // The unknown kid made the verifier look again, and the genuine token still verifies.
            #expect(endpoint.keyFetches.count == 2)
            #expect(try await api.authenticate(accessToken: genuine.accessToken).userID == user.id)
        }
    }

    @Test("With auth unreachable, a known key still verifies and an unknown one is unavailable, never invalid")
    func failsClosedWithoutAuth() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let remote = try #require(endpoint.remote)
            let user = try await endpoint.user()
            let pair = try await endpoint.login(user)
            let keys = try await ServedEndpoint.keys.keys()
            try await withHTTPClient { http in
                // Port 1 on loopback: nothing listens, the connection is refused at once.
                let nowhere = RemoteService(service: "auth", baseURLs: ["http://127.0.0.1:1"], caller: "gateway", http: http, keys: keys)

                // A gateway that started while auth was down.
                let stranded = endpoint.verifier { try await AuthClient.publishedKeys(of: nowhere) }
                let client = AuthClient(remote: nowhere, authenticate: { try await stranded.authenticate(accessToken: $0) })
                for _ in 0..<3 {
                    await #expect(throws: AuthError.unavailable) { try await client.authenticate(accessToken: pair.accessToken) }
                }
                endpoint.clock.advance(by: 6)
                await #expect(throws: AuthError.unavailable) { try await client.authenticate(accessToken: pair.accessToken) }

                // A gateway that fetched the keys before auth went away.
                let reachable = Atomic(true)
                let gateway = endpoint.verifier {
                    try await AuthClient.publishedKeys(of: reachable.load(ordering: .relaxed) ? remote : nowhere)
                }
                _ = try await gateway.authenticate(accessToken: pair.accessToken)
                reachable.store(false, ordering: .relaxed)
                _ = try await endpoint.service.rotateSigningKey()
                endpoint.clock.advance(by: endpoint.settings.keyPublicationDelay + 1)
                let rotated = try await endpoint.login(user)
                endpoint.clock.advance(by: 6)
                #expect(try await gateway.authenticate(accessToken: pair.accessToken).sessionID == pair.sessionId)
                for _ in 0..<2 {
                    await #expect(throws: AuthError.unavailable) { try await gateway.authenticate(accessToken: rotated.accessToken) }
                }
                reachable.store(true, ordering: .relaxed)
                endpoint.clock.advance(by: 6)
                #expect(try await gateway.authenticate(accessToken: rotated.accessToken).sessionID == rotated.sessionId)
            }
        }
    }

    /// The decoded JOSE header of a compact JWS.
    static func header(of token: String) throws -> [String: Any] {
        let part = try #require(token.split(separator: ".").first)
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// `token`'s header (or `header`) and claims, signed again with `key`.
    static func resign(_ token: String, with key: Curve25519.Signing.PrivateKey, header: [String: Any]? = nil) throws -> String {
        let parts = token.split(separator: ".")
        let encodedHeader =
            try header.map { Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys))) }
            ?? String(parts[0])
        let signingInput = encodedHeader + "." + parts[1]
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(Array(signature))
    }
}
