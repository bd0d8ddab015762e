import Foundation
import NIOCore
import Synchronization

/// OAuth 2.0 access tokens for a service account (RFC 7523's JWT bearer grant at its `token_uri`), kept until
/// ``refreshMargin`` before they expire. Concurrent callers share one token request; a token the API refused is
/// dropped so that the next caller fetches another.
final class FCMAccessToken: Sendable {
    /// How long before its expiry a token is replaced (at most half its lifetime).
    static let refreshMargin: Duration = .seconds(300)
    /// The scope FCM needs.
    static let scope = "https://www.googleapis.com/auth/firebase.messaging"

    private struct Token: Sendable {
        var value: String
        var refreshAt: Date
    }

    private enum State {
        case none
        case valid(Token)
        case fetching(Task<Token, any Error>)
    }

    private let account: FCMServiceAccount
    private let endpoint: HTTP2Endpoint
    private let path: String
    private let now: @Sendable () -> Date
    private let state = Mutex<State>(.none)
    private let requests = Atomic<Int>(0)

    init(account: FCMServiceAccount, endpoint: HTTP2Endpoint, path: String, now: @escaping @Sendable () -> Date) {
        self.account = account
        self.endpoint = endpoint
        self.path = path
        self.now = now
    }

    /// How many token requests were made.
    var requestsMade: Int { requests.load(ordering: .relaxed) }

    /// A token valid now, fetched when there is none (the fetch bounded by `deadline`).
    func token(deadline: NIODeadline) async throws(PushError) -> String {
        let now = now()
        enum Next {
            case ready(String)
            case wait(Task<Token, any Error>)
        }
        let next: Next = state.withLock { state in
            switch state {
            case .valid(let token) where now < token.refreshAt:
                return .ready(token.value)
            case .fetching(let task):
                return .wait(task)
            case .none, .valid:
                let task = Task { try await self.fetch(deadline: deadline) }
                state = .fetching(task)
                return .wait(task)
            }
        }
        switch next {
        case .ready(let token):
            return token
        case .wait(let task):
            do {
                return try await task.value.value
            } catch let error as PushError {
                throw error
            } catch {
                throw PushError(.authenticationFailed, "\(error)")
            }
        }
    }

    /// Drops `token` after the API refused it.
    func refused(_ token: String) {
        state.withLock { state in
            if case .valid(let current) = state, current.value == token { state = .none }
        }
    }

    private func fetch(deadline: NIODeadline) async throws -> Token {
        do {
            let token = try await request(deadline: deadline)
            state.withLock { $0 = .valid(token) }
            return token
        } catch {
            state.withLock { $0 = .none }
            throw error
        }
    }

    private func request(deadline: NIODeadline) async throws(PushError) -> Token {
        requests.add(1, ordering: .relaxed)
        let issuedAt = now()
        let assertion = account.assertion(scope: Self.scope, issuedAt: issuedAt)
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
        let request = HTTP2Request(
            method: "POST", path: path, authority: endpoint.authority,
            headers: [("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")], body: ByteBuffer(string: form))
        let response = try await endpoint.send(request, deadline: deadline, what: "OAuth token request")
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
        guard response.status == 200, let value = body?["access_token"] as? String, let expiresIn = (body?["expires_in"] as? NSNumber)?.intValue
        else {
            let error = body?["error"] as? String ?? "HTTP \(response.status)"
            throw PushError(.authenticationFailed, "the token endpoint refused \(account.clientEmail): \(error)")
        }
        let margin = min(Double(Self.refreshMargin.components.seconds), Double(expiresIn) / 2)
        return Token(value: value, refreshAt: issuedAt.addingTimeInterval(Double(expiresIn) - margin))
    }
}
