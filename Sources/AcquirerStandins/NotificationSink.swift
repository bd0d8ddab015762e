import Hummingbird

/// Where a stand-in posts its notifications when a test, not a merchant, receives them: `POST /notifications` keeps
/// each body and answers `OK` (what T-Bank expects; YooKassa wants only a 200).
public struct NotificationSink: AcquirerStandin {
    /// `sink`.
    public static let providerName = "sink"
    /// Unused: the sink always behaves.
    public let control = StandinControl()
    /// What arrived.
    public let received = Received()

    /// A sink; it needs no options.
    public init(options: StandinOptions) {}

    /// The bodies received, in order.
    public actor Received {
        /// Every body, oldest first.
        public private(set) var bodies: [[UInt8]] = []

        func add(_ body: [UInt8]) { bodies.append(body) }
    }

    /// Adds `POST /notifications`.
    public func register(on router: Router<BasicRequestContext>) {
        let received = received
        router.post("/notifications") { request, _ -> String in
            await received.add(Array(try await request.body.collect(upTo: 1 << 20).readableBytesView))
            return "OK"
        }
    }
}
