import AsyncHTTPClient
import Contracts
import Synchronization

/// The HTTP client of the outside providers (the SMS gateway, the push services, the staff chats), made on first use:
/// a process that never sends (an operator command, a test) never opens one, and so never has one to shut down.
public final class OutboundHTTP: Sendable {
    private let configuration: HTTPClient.Configuration
    private let state = Mutex<(client: HTTPClient?, closed: Bool)>((nil, false))

    /// A client of `configuration`, once needed.
    public init(configuration: HTTPClient.Configuration) { self.configuration = configuration }

    /// The client, made now if it is the first call; nil once shut down.
    public func client() -> HTTPClient? {
        state.withLock { state in
            guard !state.closed else { return nil }
            if let client = state.client { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            state.client = client
            return client
        }
    }

    /// Shuts the client down if one was made; later sends find no client and are retried by the next process.
    public func shutdown() async {
        let client = state.withLock { state -> HTTPClient? in
            state.closed = true
            return state.client
        }
        try? await client?.shutdown()
    }
}

/// A channel over an outside provider, built with the shared client on its first message.
public final class LazyChannel: DeliveryChannel {
    /// Which channel it is.
    public let channel: NotificationChannel
    private let platforms: Set<DevicePlatform>
    private let http: OutboundHTTP
    private let make: @Sendable (HTTPClient) -> any DeliveryChannel
    private let built = Mutex<(any DeliveryChannel)?>(nil)

    /// `channel`, serving devices of `platforms`, made by `make` over `http`'s client when first needed.
    public init(
        _ channel: NotificationChannel, serving platforms: Set<DevicePlatform> = [], http: OutboundHTTP,
        make: @escaping @Sendable (HTTPClient) -> any DeliveryChannel
    ) {
        self.channel = channel
        self.platforms = platforms
        self.http = http
        self.make = make
    }

    /// Whether it sends to devices of `platform`.
    public func serves(_ platform: DevicePlatform) -> Bool { platforms.contains(platform) }

    /// Asks the channel, built now if needed.
    public func fate(ofMessage providerID: String) async -> DeliveryFate? {
        await underlying()?.fate(ofMessage: providerID)
    }

    /// Sends through the channel, built now if needed.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        guard let channel = underlying() else { return .retry(after: nil, detail: "the process is shutting down") }
        return await channel.send(message)
    }

    /// The channel, made on first use; nil once the client is shut down.
    private func underlying() -> (any DeliveryChannel)? {
        built.withLock { built in
            if let built { return built }
            guard let client = http.client() else { return nil }
            let made = make(client)
            built = made
            return made
        }
    }
}
