import Acquiring
import Contracts
import Kernel
import Storage

/// The payment providers a billing service takes money through, by name, and the one door every call to them goes
/// through: a call made while a database transaction is open in the same task is refused
/// (``Storage/StorageError/callInsideTransaction(_:)``), because a slow provider must never hold a connection and an
/// account's lock.
struct PaymentProviders: Sendable {
    private let byName: [String: any PaymentProvider]
    /// The provider an order without one uses: the first configured real provider, else the sandbox.
    let defaultName: String?

    /// The sandbox provider when its secret is set (sandbox payments are on), and `others` (one of the same name
    /// replaces it).
    init(settings: BillingSettings, database: any Database, clock: any WallClock, others: [any PaymentProvider]) {
        var byName: [String: any PaymentProvider] = [:]
        var sandbox: SandboxProvider?
        if let secret = settings.providerSecrets["sandbox"], !secret.isEmpty {
            sandbox = SandboxProvider(secret: secret, baseURL: settings.publicBaseURL, database: database, currency: settings.currency, clock: clock)
            byName["sandbox"] = sandbox
        }
        self.sandbox = sandbox
        for provider in others { byName[provider.name] = provider }
        self.byName = byName
        self.defaultName = others.first?.name ?? byName.keys.first
    }

    /// The provider named `name`, if there is one.
    subscript(name: String) -> (any PaymentProvider)? { byName[name] }

    /// The provider named `name` (the default when `nil`); an unknown name is the client's mistake, naming `field`.
    func named(_ name: String?, field: String = "provider") throws -> any PaymentProvider {
        guard let name = name ?? defaultName, let provider = byName[name] else {
            throw BillingError.invalidField(field: field, reason: "must be one of \(byName.keys.sorted())")
        }
        return provider
    }

    /// The sandbox "bank" whose page customers confirm on, when sandbox payments are on (a provider of the same name
    /// given in `others`, such as one that wraps it, is the one payments go through).
    let sandbox: SandboxProvider?

    /// Every provider's offer, by name.
    var offers: [ProviderOffer] { byName.values.map(\.offer).sorted { $0.name < $1.name } }

    /// Calls `provider` through `body`, unless a transaction is open: that is a bug, refused before any call leaves.
    func call<Result>(
        _ provider: any PaymentProvider, _ operation: String, _ body: (any PaymentProvider) async throws(ProviderError) -> Result
    ) async throws -> Result {
        try OpenTransaction.requireNone(for: "\(provider.name).\(operation)")
        return try await body(provider)
    }
}
