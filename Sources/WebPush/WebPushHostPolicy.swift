/// Which hosts a subscription's endpoint may name. The endpoint comes from a browser, that is from whoever calls the API,
/// and the server POSTs to it: left open, it would let anyone make the server call its own network.
public struct WebPushHostPolicy: Sendable, Hashable {
    private let suffixes: [String]?

    /// The push services of the browsers in use: Google's FCM (Chrome, Edge on Android, Samsung Internet, Opera,
    /// Yandex Browser), Mozilla's autopush (Firefox), Apple's (Safari) and Microsoft's WNS (Edge on Windows).
    public static let wellKnownPushServices = WebPushHostPolicy(suffixes: [
        "fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com",
    ])

    /// Any host: for a push service of one's own (a self-hosted autopush, UnifiedPush) or a test's.
    public static let any = WebPushHostPolicy(suffixes: nil)

    /// Hosts that are one of `suffixes` or under one of them (`push.example.net` allows `eu.push.example.net`).
    public init(suffixes: [String]?) { self.suffixes = suffixes?.map { $0.lowercased() } }

    /// Whether `host` is allowed.
    public func allows(_ host: String) -> Bool {
        guard let suffixes else { return true }
        let host = host.lowercased()
        return suffixes.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
