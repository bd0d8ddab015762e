import Foundation

/// The settings of T-Bank internet acquiring (API v2): the terminal, its password, where the API is, and what the
/// fiscal receipts need. The password never appears in ``description``.
public struct TBankConfiguration: Sendable, CustomStringConvertible {
    /// The terminal's key (`TerminalKey`), from the acquiring cabinet.
    public var terminalKey: String
    /// The terminal's password, which signs every request and every notification.
    public var password: String
    /// The API's base URL, without a trailing slash.
    public var baseURL: String
    /// The longest a request may take before its outcome is unknown.
    public var requestTimeout: Duration
    /// The seller's tax system, printed on receipts that do not name their own (`Taxation`, required by T-Bank).
    public var taxSystem: FiscalTaxSystem
    /// The fiscal document format version (`FfdVersion`); with `1.2` every item carries a measurement unit.
    public var ffdVersion: String
    /// Where T-Bank posts notifications (`NotificationURL`); `nil` keeps the terminal's own setting.
    public var notificationURL: String?
    /// Where the payment page sends the customer after a failed payment (`FailURL`); `nil`: the return URL.
    public var failURL: String?

    /// The production API.
    public static let productionBaseURL = "https://securepay.tinkoff.ru/v2"

    /// Creates the settings.
    public init(
        terminalKey: String, password: String, baseURL: String = TBankConfiguration.productionBaseURL, requestTimeout: Duration = .seconds(30),
        taxSystem: FiscalTaxSystem = .general, ffdVersion: String = "1.2", notificationURL: String? = nil, failURL: String? = nil
    ) {
        self.terminalKey = terminalKey
        self.password = password
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.requestTimeout = requestTimeout
        self.taxSystem = taxSystem
        self.ffdVersion = ffdVersion
        self.notificationURL = notificationURL
        self.failURL = failURL
    }

    /// The settings with the password hidden.
    public var description: String {
        "TBankConfiguration(terminalKey: \(terminalKey), password: ***, baseURL: \(baseURL), taxSystem: \(taxSystem.rawValue), ffdVersion: \(ffdVersion))"
    }
}
