import Crypto
import Foundation

/// Where and how to push to one browser: its push service endpoint and the keys its messages are encrypted to, as
/// `PushSubscription.toJSON()` gives them (`{"endpoint": …, "expirationTime": …, "keys": {"p256dh": …, "auth": …}}`).
public struct WebPushSubscription: Sendable, Hashable {
    /// The push service's URL for this subscription (https).
    public let endpoint: String
    /// The browser's P-256 public key, uncompressed (65 bytes).
    public let p256dh: [UInt8]
    /// The browser's authentication secret (16 bytes).
    public let auth: [UInt8]
    /// When the browser said the subscription expires, if it did.
    public let expirationTime: Date?

    /// The longest endpoint accepted. Push services' URLs run to a few hundred characters; a longer one is refused
    /// rather than stored.
    public static let maximumEndpointLength = 1024

    /// A subscription from its three parts, the keys in base64url, its endpoint at a host `hosts` allows; throws naming
    /// the field that is wrong.
    public init(
        endpoint: String, p256dh: String, auth: String, expirationTime: Date? = nil, hosts: WebPushHostPolicy = .wellKnownPushServices
    ) throws(WebPushSubscriptionError) {
        guard endpoint.utf8.count <= Self.maximumEndpointLength else {
            throw .init(field: "endpoint", reason: "is longer than \(Self.maximumEndpointLength) characters")
        }
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .init(field: "endpoint", reason: "is not an absolute URL")
        }
        guard scheme == "https" else { throw .init(field: "endpoint", reason: "is not an https URL") }
        guard hosts.allows(host) else { throw .init(field: "endpoint", reason: "is not at a known push service") }
        guard url.user == nil, url.password == nil, url.fragment == nil else {
            throw .init(field: "endpoint", reason: "carries user information or a fragment")
        }
        guard let key = Base64URL.decode(p256dh) else { throw .init(field: "keys.p256dh", reason: "is not base64url") }
        guard key.count == 65, key[0] == 0x04, (try? P256.KeyAgreement.PublicKey(x963Representation: key)) != nil else {
            throw .init(field: "keys.p256dh", reason: "is not an uncompressed P-256 point")
        }
        guard let secret = Base64URL.decode(auth) else { throw .init(field: "keys.auth", reason: "is not base64url") }
        guard secret.count == 16 else { throw .init(field: "keys.auth", reason: "is \(secret.count) bytes, not 16") }
        self.endpoint = endpoint
        self.p256dh = key
        self.auth = secret
        self.expirationTime = expirationTime
    }

    /// A subscription from the JSON of `PushSubscription.toJSON()`, its endpoint at a host `hosts` allows; throws naming
    /// the field that is missing or wrong.
    public init(json: some Collection<UInt8>, hosts: WebPushHostPolicy = .wellKnownPushServices) throws(WebPushSubscriptionError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw .init(field: "", reason: "is not a JSON object")
        }
        guard let endpoint = object["endpoint"] as? String else { throw .init(field: "endpoint", reason: "is missing or not a string") }
        guard let keys = object["keys"] as? [String: Any] else { throw .init(field: "keys", reason: "is missing or not an object") }
        guard let p256dh = keys["p256dh"] as? String else { throw .init(field: "keys.p256dh", reason: "is missing or not a string") }
        guard let auth = keys["auth"] as? String else { throw .init(field: "keys.auth", reason: "is missing or not a string") }
        var expiration: Date?
        switch object["expirationTime"] {
        case nil, is NSNull: expiration = nil
        case let milliseconds as NSNumber where !(milliseconds is Bool) && milliseconds.doubleValue >= 0:
            expiration = Date(timeIntervalSince1970: milliseconds.doubleValue / 1000)
        default: throw .init(field: "expirationTime", reason: "is not null or a time in milliseconds")
        }
        try self.init(endpoint: endpoint, p256dh: p256dh, auth: auth, expirationTime: expiration, hosts: hosts)
    }

    /// The browser's key as base64url, as it is stored.
    public var p256dhBase64URL: String { Base64URL.encode(p256dh) }
    /// The authentication secret as base64url, as it is stored.
    public var authBase64URL: String { Base64URL.encode(auth) }

    /// The endpoint's origin (`https://host[:port]`): the audience of the VAPID token.
    public var origin: String {
        let url = URLComponents(string: endpoint)
        let scheme = url?.scheme?.lowercased() ?? "https"
        let host = url?.percentEncodedHost ?? ""
        let defaultPort = scheme == "https" ? 443 : 80
        if let port = url?.port, port != defaultPort { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }
}

/// A subscription that cannot be used, and which field is at fault (`endpoint`, `keys.p256dh`, `keys.auth`,
/// `expirationTime`, or empty for the document itself).
public struct WebPushSubscriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, in JSON path form.
    public let field: String
    /// What is wrong with it.
    public let reason: String

    /// An error for `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// "keys.auth is 12 bytes, not 16".
    public var description: String { field.isEmpty ? "the subscription \(reason)" : "\(field) \(reason)" }
}
