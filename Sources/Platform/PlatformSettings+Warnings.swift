import Logging

extension PlatformSettings {
    /// What an operator must hear about these settings at start: the sandbox payment provider served outside the
    /// embedded default by a process that runs billing, where anyone may "pay" with fake money.
    public var startWarnings: [String] {
        guard sandboxPayments, !isEmbeddedDefault, distributed.roles.contains(.billing) else { return [] }
        return [
            "SANDBOX PAYMENTS ARE ON with a real database: anyone can pay with fake money and have it credited; "
                + "set LASTMILE_SANDBOX_PAYMENTS=false unless this is a test deployment"
        ]
    }

    /// Logs each of ``startWarnings`` once, at level `warning`; call it once per start.
    public func logStartWarnings(to logger: Logger) {
        for warning in startWarnings { logger.warning("\(warning)") }
    }
}
