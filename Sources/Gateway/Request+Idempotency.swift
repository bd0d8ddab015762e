import Contracts
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import ServerKit

extension HTTPField.Name {
    /// `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

/// A decoded money-moving request body with the token that makes it safe to retry.
struct IdempotentBody<Body: Sendable>: Sendable {
    /// The decoded body.
    var body: Body
    /// The `Idempotency-Key` and the request's fingerprint.
    var token: IdempotencyToken
}

extension Request {
    /// Decodes a JSON body and pairs it with the request's `Idempotency-Key`.
    ///
    /// The fingerprint covers the caller, the route and the body re-encoded with sorted keys, so the same
    /// request sent with other whitespace or member order still matches, and a key reused on another
    /// route or by another caller does not.
    func decodeIdempotent<Body: Codable & Sendable>(
        _ type: Body.Type, route: String, callerID: String, context: AppRequestContext
    ) async throws -> IdempotentBody<Body> {
        let key = try idempotencyKey()
        let body = try Request.decodeJSON(type, from: try await collectJSONBody(context: context))
        return IdempotentBody(body: body, token: try Request.idempotencyToken(key: key, route: route, callerID: callerID, body: body))
    }

    /// The `Idempotency-Key` header: required, 1–255 printable ASCII characters.
    func idempotencyKey() throws -> String {
        guard let key = headers[.idempotencyKey] else {
            throw Problem.invalidField("Idempotency-Key", "header Idempotency-Key is required for requests that move money")
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.invalidField("Idempotency-Key", "header Idempotency-Key must be 1–255 printable ASCII characters")
        }
        return key
    }

    /// The token for `body` sent to `route` by `callerID` under `key`.
    static func idempotencyToken<Body: Encodable>(key: String, route: String, callerID: String, body: Body) throws -> IdempotencyToken {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var hasher = SHA256()
        hasher.update(data: Data("\(callerID)\n\(route)\n".utf8))
        hasher.update(data: try encoder.encode(body))
        let fingerprint = Hex.lowercase(hasher.finalize())
        return IdempotencyToken(key: key, fingerprint: fingerprint)
    }
}

extension HTTPField.Name {
    /// The signature header of payment provider notifications.
    static let providerSignature = HTTPField.Name("X-Provider-Signature")!
    /// The sandbox provider's signature header.
    static let sandboxSignature = HTTPField.Name("X-Sandbox-Signature")!
}
