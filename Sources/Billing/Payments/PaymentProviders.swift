import Contracts

/// The payment providers a billing service takes money through, by name; the sandbox provider is always among them.
struct PaymentProviders: Sendable {
    private let byName: [String: any PaymentProvider]

    /// The sandbox provider, signing with `settings`' sandbox secret, and `others` (one of the same name replaces it).
    init(settings: BillingSettings, others: [any PaymentProvider]) {
        let sandbox = SandboxProvider(secret: settings.providerSecrets["sandbox"] ?? "", baseURL: settings.publicBaseURL)
        var byName: [String: any PaymentProvider] = [sandbox.name: sandbox]
        for provider in others { byName[provider.name] = provider }
        self.byName = byName
    }

    /// The provider named `name`, if there is one.
    subscript(name: String) -> (any PaymentProvider)? { byName[name] }

    /// The provider named `name`; throws ``BillingError/providerUnavailable(provider:)`` when there is none.
    func named(_ name: String) throws -> any PaymentProvider {
        guard let provider = byName[name] else { throw BillingError.providerUnavailable(provider: name) }
        return provider
    }

    /// The sandbox provider, unless another provider took its name.
    var sandbox: SandboxProvider? { byName["sandbox"] as? SandboxProvider }
}
