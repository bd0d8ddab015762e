import Hummingbird

/// A local stand-in for a payment provider's API, written from the provider's public documentation: the adapters'
/// tests, the system tests and the benchmarks talk to it instead of the real acquirer, and it can be told to misbehave
/// (``StandinBehaviour``) the ways a real one does.
public protocol AcquirerStandin: Sendable {
    /// The provider it stands in for (`yookassa`, `tbank`), as `acquirer-standin --provider` names it.
    static var providerName: String { get }
    /// Creates the stand-in.
    init(options: StandinOptions)
    /// Its behaviour switches, shared with the control routes.
    var control: StandinControl { get }
    /// Adds the provider's API routes (and its hosted payment page) to `router`.
    func register(on router: Router<BasicRequestContext>)
}

/// How a stand-in is set up.
public struct StandinOptions: Sendable {
    /// Credentials it accepts: YooKassa's shop id, T-Bank's terminal key.
    public var account: String
    /// The secret that goes with it: YooKassa's secret key, T-Bank's terminal password.
    public var secret: String
    /// The stand-in's own public base URL (`http://127.0.0.1:PORT`), for the confirmation pages it links to.
    public var publicBaseURL: String
    /// Where it posts notifications (webhooks), when set; T-Bank's requests may name their own.
    public var notificationURL: String?

    /// Creates options.
    public init(account: String, secret: String, publicBaseURL: String, notificationURL: String?) {
        self.account = account
        self.secret = secret
        self.publicBaseURL = publicBaseURL
        self.notificationURL = notificationURL
    }
}
