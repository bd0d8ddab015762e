import Foundation

/// The settings of a YooKassa shop: its credentials, where the API is and what its receipts print.
public struct YooKassaConfiguration: Sendable, Hashable {
    /// The shop's id (the HTTP Basic user name).
    public var shopID: String
    /// The shop's secret key (the HTTP Basic password); never logged or printed.
    public var secretKey: String
    /// The API's base URL, without a trailing slash.
    public var apiBaseURL: String
    /// How long one API call may take before its outcome is unknown.
    public var requestTimeout: Duration
    /// The shop's tax system printed on receipts (`tax_system_code`), when its register needs it said.
    public var taxSystem: FiscalTaxSystem?
    /// Where the payment page sends the customer back when the request names no place.
    public var defaultReturnURL: String?
    /// How long after our creation time a payment whose creation answer was lost is looked for in the list.
    public var lookupWindow: Duration

    /// The real API.
    public static let productionBaseURL = "https://api.yookassa.ru/v3"

    /// Creates the settings.
    public init(
        shopID: String, secretKey: String, apiBaseURL: String = YooKassaConfiguration.productionBaseURL, requestTimeout: Duration = .seconds(30),
        taxSystem: FiscalTaxSystem? = nil, defaultReturnURL: String? = nil, lookupWindow: Duration = .seconds(3600)
    ) {
        self.shopID = shopID
        self.secretKey = secretKey
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
        self.requestTimeout = requestTimeout
        self.taxSystem = taxSystem
        self.defaultReturnURL = defaultReturnURL
        self.lookupWindow = lookupWindow
    }

    /// The `Authorization` header's value.
    var authorization: String {
        "Basic " + Data("\(shopID):\(secretKey)".utf8).base64EncodedString()
    }
}

extension YooKassaConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// The settings with the secret key left out.
    public var description: String {
        "YooKassaConfiguration(shopID: \(shopID), secretKey: <redacted>, apiBaseURL: \(apiBaseURL), requestTimeout: \(requestTimeout), "
            + "taxSystem: \(taxSystem?.rawValue ?? "none"))"
    }

    /// The same as ``description``: the secret key never shows.
    public var debugDescription: String { description }
}
