import Foundation

/// A service's error type that crosses a hop as itself: the internal API writes the value beside the problem, and
/// the client throws the same value again, so callers in another process catch exactly what they would catch in one.
public protocol RemoteError: ProblemConvertible, Codable, Sendable {
    /// The name the value travels under (`BillingError`).
    static var remoteName: String { get }
}

/// The error types that travel as themselves, by ``RemoteError/remoteName``.
public enum RemoteErrors {
    /// Every service's error type.
    public static let all: [any RemoteError.Type] = [
        AuthError.self, CustomerError.self, BillingError.self, SupportError.self, NotificationsError.self,
    ]

    /// The JSON object member that carries the value's type name.
    public static let typeMember = "lastmileError"
    /// The JSON object member that carries the value.
    public static let valueMember = "lastmileErrorValue"

    /// The body of an internal API's refusal: the problem document's members, and the typed value when `error` is a
    /// ``RemoteError``.
    public static func body(for error: any Error, document: ProblemDocument) throws -> Data {
        let encoder = RemoteCoding.encoder()
        guard let error = error as? any RemoteError,
            var object = try JSONSerialization.jsonObject(with: encoder.encode(document)) as? [String: Any]
        else { return try encoder.encode(document) }
        object[typeMember] = type(of: error).remoteName
        object[valueMember] = try JSONSerialization.jsonObject(with: encoder.encode(error), options: .fragmentsAllowed)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The typed error a refusal's body carries, or nil when it carries none (or one of a type this build does not
    /// know, as during a rolling upgrade: the caller then falls back to the problem itself).
    public static func decode(from body: Data) -> (any RemoteError)? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let name = object[typeMember] as? String, let value = object[valueMember],
            let type = all.first(where: { $0.remoteName == name }),
            let data = try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
        else { return nil }
        return try? type.decode(data)
    }
}

extension RemoteError {
    fileprivate static func decode(_ data: Data) throws -> any RemoteError {
        try RemoteCoding.decoder().decode(Self.self, from: data)
    }
}
