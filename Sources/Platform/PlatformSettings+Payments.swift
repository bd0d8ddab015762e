import Acquiring
import Billing
import Configuration
import Foundation

/// The payment providers (acquirers) billing takes money through, each on when its credentials are set.
public struct PaymentProviderSettings: Sendable {
    /// YooKassa, when `LASTMILE_YOOKASSA_SHOP_ID` and its secret key are set.
    public var yooKassa: YooKassaConfiguration?
    /// T-Bank, when `LASTMILE_TBANK_TERMINAL_KEY` and its password are set; notifications go to
    /// `<LASTMILE_PUBLIC_URL>/api/v1/billing/providers/tbank/notifications` unless `LASTMILE_TBANK_NOTIFICATION_URL` says.
    public var tBank: TBankConfiguration?
    /// The seller's tax system printed on receipts (`LASTMILE_RECEIPT_TAX_SYSTEM`: osn, usn_income, …).
    public var taxSystem: FiscalTaxSystem?
    /// The longest a call to a provider may take.
    public var timeout: Duration = .seconds(30)

    /// None configured.
    public init() {}

    /// Reads the saga's and autopay's timing into `billing`: `LASTMILE_PAYMENTS_RECONCILE_AFTER_SECONDS`,
    /// `LASTMILE_PAYMENTS_RECONCILE_INTERVAL_SECONDS`, `LASTMILE_AUTOPAY_NOTICE_SECONDS`, `LASTMILE_AUTOPAY_MAX_FAILURES`.
    static func timing(_ config: ConfigReader, into billing: inout PaymentSettings) throws {
        let after = config.int(forKey: "lastmile.payments.reconcile.after.seconds", default: Int(billing.reconcileAfter))
        let interval = config.int(forKey: "lastmile.payments.reconcile.interval.seconds", default: Int(billing.reconcileInterval))
        let notice = config.int(forKey: "lastmile.autopay.notice.seconds", default: Int(billing.autopayNotice))
        let failures = config.int(forKey: "lastmile.autopay.max.failures", default: billing.autopayMaximumFailures)
        guard (1...86_400).contains(after), (1...3600).contains(interval) else {
            throw SettingsError(key: "LASTMILE_PAYMENTS_RECONCILE_*", reason: "after must be 1–86400 s, interval 1–3600 s")
        }
        guard (0...7 * 86_400).contains(notice), (1...100).contains(failures) else {
            throw SettingsError(key: "LASTMILE_AUTOPAY_*", reason: "notice must be 0–604800 s, failures 1–100")
        }
        billing.reconcileAfter = TimeInterval(after)
        billing.reconcileInterval = TimeInterval(interval)
        billing.autopayNotice = TimeInterval(notice)
        billing.autopayMaximumFailures = failures
    }

    /// Whether any real provider is configured.
    public var isEmpty: Bool { yooKassa == nil && tBank == nil }

    /// Reads `LASTMILE_YOOKASSA_SHOP_ID`, `LASTMILE_YOOKASSA_SECRET_KEY` (or `_FILE`), `LASTMILE_YOOKASSA_API_URL`,
    /// `LASTMILE_YOOKASSA_RETURN_URL`, `LASTMILE_TBANK_TERMINAL_KEY`, `LASTMILE_TBANK_PASSWORD` (or `_FILE`),
    /// `LASTMILE_TBANK_API_URL`, `LASTMILE_TBANK_NOTIFICATION_URL`, `LASTMILE_RECEIPT_TAX_SYSTEM` and
    /// `LASTMILE_PROVIDER_TIMEOUT_SECONDS`; `publicURL` is the gateway's, for T-Bank's notification URL.
    init(reader config: ConfigReader, publicURL: String?) throws {
        let seconds = config.int(forKey: "lastmile.provider.timeout.seconds", default: 30)
        guard (1...120).contains(seconds) else {
            throw SettingsError(key: "LASTMILE_PROVIDER_TIMEOUT_SECONDS", reason: "must be 1–120, not \(seconds)")
        }
        timeout = .seconds(seconds)
        if let name = config.string(forKey: "lastmile.receipt.tax.system"), !name.isEmpty {
            guard let system = FiscalTaxSystem(rawValue: name) else {
                throw SettingsError(
                    key: "LASTMILE_RECEIPT_TAX_SYSTEM", reason: "must be one of \(FiscalTaxSystem.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            taxSystem = system
        }
        let shopID = config.string(forKey: "lastmile.yookassa.shop.id").flatMap { $0.isEmpty ? nil : $0 }
        let secret = try Self.secret(config, "lastmile.yookassa.secret.key", name: "LASTMILE_YOOKASSA_SECRET_KEY")
        switch (shopID, secret) {
        case (nil, nil):
            break
        case (let shopID?, let secret?):
            let base = config.string(forKey: "lastmile.yookassa.api.url").flatMap { $0.isEmpty ? nil : $0 } ?? YooKassaConfiguration.productionBaseURL
            try Self.requireHTTPURL(base, key: "LASTMILE_YOOKASSA_API_URL")
            let returnURL = config.string(forKey: "lastmile.yookassa.return.url").flatMap { $0.isEmpty ? nil : $0 }
            if let returnURL { try Self.requireHTTPURL(returnURL, key: "LASTMILE_YOOKASSA_RETURN_URL") }
            yooKassa = YooKassaConfiguration(
                shopID: shopID, secretKey: secret, apiBaseURL: base, requestTimeout: timeout, taxSystem: taxSystem, defaultReturnURL: returnURL)
        default:
            throw SettingsError(key: "LASTMILE_YOOKASSA_SHOP_ID", reason: "YooKassa needs both the shop id and LASTMILE_YOOKASSA_SECRET_KEY")
        }
        let terminal = config.string(forKey: "lastmile.tbank.terminal.key").flatMap { $0.isEmpty ? nil : $0 }
        let password = try Self.secret(config, "lastmile.tbank.password", name: "LASTMILE_TBANK_PASSWORD")
        switch (terminal, password) {
        case (nil, nil):
            break
        case (let terminal?, let password?):
            let base = config.string(forKey: "lastmile.tbank.api.url").flatMap { $0.isEmpty ? nil : $0 } ?? TBankConfiguration.productionBaseURL
            try Self.requireHTTPURL(base, key: "LASTMILE_TBANK_API_URL")
            let notify =
                config.string(forKey: "lastmile.tbank.notification.url").flatMap { $0.isEmpty ? nil : $0 }
                ?? publicURL.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/api/v1/billing/providers/tbank/notifications" }
            if let notify { try Self.requireHTTPURL(notify, key: "LASTMILE_TBANK_NOTIFICATION_URL") }
            tBank = TBankConfiguration(
                terminalKey: terminal, password: password, baseURL: base, requestTimeout: timeout, taxSystem: taxSystem ?? .general,
                notificationURL: notify)
        default:
            throw SettingsError(key: "LASTMILE_TBANK_TERMINAL_KEY", reason: "T-Bank needs both the terminal key and LASTMILE_TBANK_PASSWORD")
        }
    }

    /// A secret from `key`, or from the file `key.file` names.
    static func secret(_ config: ConfigReader, _ key: String, name: String) throws -> String? {
        if let value = config.string(forKey: ConfigKey(key.split(separator: ".").map(String.init)), isSecret: true), !value.isEmpty {
            return value
        }
        let fileKey = ConfigKey((key + ".file").split(separator: ".").map(String.init))
        guard let path = config.string(forKey: fileKey), !path.isEmpty else { return nil }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw SettingsError(key: name + "_FILE", reason: "no readable file at \(path)")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static func requireHTTPURL(_ text: String, key: String) throws {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw SettingsError(key: key, reason: "not an http(s) URL: \(text)")
        }
    }
}
