import ClientTLS
import Configuration
import Contracts
import Crypto
import Foundation
import Notifications
import Push
import SMTP
import WebPush
import _CryptoExtras

/// How notifications leave: the mail server, the sender's address, DKIM.
public struct NotificationChannelSettings: Sendable {
    /// The mail server (`LASTMILE_SMTP_URL`: `smtp://user:password@host:587` with STARTTLS required, `smtps://…:465`;
    /// `?tls=optional` or `?tls=none` only for a server on the same machine); no e-mail without it.
    public var smtp: SMTPConfiguration?
    /// The sender of e-mails (`LASTMILE_SMTP_FROM`, `LastMile <noreply@isp.example>`).
    public var from = MailAddress("noreply@localhost", name: "LastMile")
    /// The DKIM signer (`LASTMILE_DKIM_DOMAIN`, `LASTMILE_DKIM_SELECTOR`, `LASTMILE_DKIM_KEY_FILE`: a PEM RSA or
    /// Ed25519 private key).
    public var dkim: DKIMSigner?
    /// The SMS gateway (`LASTMILE_SMS_PROVIDER`): the sandbox, which records texts, on the embedded default; none
    /// otherwise unless SMS.ru is configured.
    public var sms: SMSGatewaySettings?
    /// Web Push (`LASTMILE_WEBPUSH`, on by default): the contact pushed messages are signed for
    /// (`LASTMILE_VAPID_SUBJECT`), the key (`LASTMILE_VAPID_PRIVATE_KEY`, else one kept in the database).
    public var webPush: WebPushSettings? = WebPushSettings()

    /// APNs, when `LASTMILE_APNS_KEY_FILE` (the .p8 key), `LASTMILE_APNS_KEY_ID`, `LASTMILE_APNS_TEAM_ID` and
    /// `LASTMILE_APNS_TOPIC` (the app's bundle id) are set; `LASTMILE_APNS_ENVIRONMENT` `production` (default) or
    /// `sandbox`, `LASTMILE_APNS_URL` another host (a stand-in).
    public var apns: APNsConfiguration?
    /// FCM, when `LASTMILE_FCM_SERVICE_ACCOUNT_FILE` (the service account's JSON key) is set; `LASTMILE_FCM_URL` another
    /// host (a stand-in).
    public var fcm: FCMConfiguration?

    /// The staff chats alerts go to: a Slack or Mattermost incoming webhook (`LASTMILE_ALERTS_WEBHOOK_URL`), a Telegram
    /// group (`LASTMILE_ALERTS_TELEGRAM_BOT_TOKEN`, `LASTMILE_ALERTS_TELEGRAM_CHAT_ID`, `LASTMILE_TELEGRAM_API_URL`).
    public var chats = StaffChatSettings()

    /// The staff chats.
    public struct StaffChatSettings: Sendable {
        /// The incoming webhook's URL (a secret).
        public var webhookURL: String?
        /// The Telegram bot's token (a secret), chat and API base.
        public var telegram: (token: String, chatID: String, apiURL: String)?
    }

    /// Which SMS gateway.
    public enum SMSGatewaySettings: Sendable {
        /// Records texts in memory and accepts them (demos, the embedded default).
        case sandbox
        /// SMS.ru's HTTP API with its `api_id` (`LASTMILE_SMSRU_API_ID`), at `baseURL` (`LASTMILE_SMSRU_API_URL`).
        case smsRu(apiID: String, baseURL: String)
    }

    /// Web Push's settings.
    public struct WebPushSettings: Sendable {
        /// The contact in the VAPID token, `mailto:` or `https:`; the sender's address by default.
        public var subject: String?
        /// The private key (base64url of the raw P-256 scalar); one kept in the database when nil.
        public var privateKey: VAPIDKey?
    }

    /// No channel configured.
    public init() {}

    /// Reads the channels' settings and the notification service's tunables into `notifications`.
    init(reader config: ConfigReader, embedded: Bool, notifications: inout NotificationsSettings) throws {
        if let url = config.string(forKey: "lastmile.smtp.url", isSecret: true), !url.isEmpty {
            let caFile = config.string(forKey: "lastmile.smtp.tls.ca.file").flatMap { $0.isEmpty ? nil : $0 }
            do {
                let tls = try caFile.map { file throws(ClientTLSError) in try ClientTLSConfiguration(caFile: file) }
                smtp = try SMTPConfiguration(url: url, tls: tls, clientName: config.string(forKey: "lastmile.smtp.client.name", default: "localhost"))
            } catch {
                throw SettingsError(key: caFile == nil ? "LASTMILE_SMTP_URL" : "LASTMILE_SMTP_TLS_CA_FILE", reason: "\(error)")
            }
        }
        if let text = config.string(forKey: "lastmile.smtp.from"), !text.isEmpty {
            guard let parsed = Self.mailbox(text) else {
                throw SettingsError(key: "LASTMILE_SMTP_FROM", reason: "an address such as `LastMile <noreply@isp.example>`")
            }
            from = parsed
        }
        if let domain = config.string(forKey: "lastmile.dkim.domain"), !domain.isEmpty {
            guard let selector = config.string(forKey: "lastmile.dkim.selector"), !selector.isEmpty,
                let file = config.string(forKey: "lastmile.dkim.key.file"), !file.isEmpty
            else { throw SettingsError(key: "LASTMILE_DKIM_SELECTOR", reason: "DKIM needs a selector and LASTMILE_DKIM_KEY_FILE") }
            guard let pem = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw SettingsError(key: "LASTMILE_DKIM_KEY_FILE", reason: "cannot read \(file)")
            }
            if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
                dkim = DKIMSigner(domain: domain, selector: selector, key: .rsa(key))
            } else if let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: pem) {
                dkim = DKIMSigner(domain: domain, selector: selector, key: .ed25519(key))
            } else {
                throw SettingsError(key: "LASTMILE_DKIM_KEY_FILE", reason: "not a PEM RSA or Ed25519 private key")
            }
        }
        try readSMS(config, embedded: embedded, notifications: &notifications)
        chats.webhookURL = config.string(forKey: "lastmile.alerts.webhook.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        if let url = chats.webhookURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw SettingsError(key: "LASTMILE_ALERTS_WEBHOOK_URL", reason: "an http(s) URL")
        }
        if let token = config.string(forKey: "lastmile.alerts.telegram.bot.token", isSecret: true), !token.isEmpty {
            guard let chat = config.string(forKey: "lastmile.alerts.telegram.chat.id"), !chat.isEmpty else {
                throw SettingsError(key: "LASTMILE_ALERTS_TELEGRAM_CHAT_ID", reason: "the group's chat id (or @channel) to post to")
            }
            chats.telegram = (token, chat, config.string(forKey: "lastmile.telegram.api.url", default: "https://api.telegram.org"))
        }
        try readWebPush(config, notifications: &notifications)
        try readPush(config)
        notifications.brand = config.string(forKey: "lastmile.brand", default: notifications.brand)
        for (channel, name) in [(NotificationChannel.sms, "sms"), (.push, "push"), (.webPush, "web.push"), (.email, "email"), (.chat, "chat")] {
            guard let rate = config.int(forKey: ConfigKey("lastmile.notifications.rate.\(name)")) else { continue }
            guard (0...100_000).contains(rate) else {
                throw SettingsError(
                    key: "LASTMILE_NOTIFICATIONS_RATE_\(name.replacingOccurrences(of: ".", with: "_").uppercased())",
                    reason: "0–100000 a second (0: no limit)")
            }
            notifications.rates[channel] = rate
        }
        notifications.smsDailyCap = config.int(forKey: "lastmile.notifications.sms.daily.cap", default: notifications.smsDailyCap)
        guard (0...1000).contains(notifications.smsDailyCap) else {
            throw SettingsError(key: "LASTMILE_NOTIFICATIONS_SMS_DAILY_CAP", reason: "must be 0–1000")
        }
    }

    private mutating func readSMS(_ config: ConfigReader, embedded: Bool, notifications: inout NotificationsSettings) throws {
        switch config.string(forKey: "lastmile.sms.provider", default: embedded ? "sandbox" : "none") {
        case "none", "": sms = nil
        case "sandbox": sms = .sandbox
        case "smsru":
            guard let apiID = config.string(forKey: "lastmile.smsru.api.id", isSecret: true), !apiID.isEmpty else {
                throw SettingsError(key: "LASTMILE_SMSRU_API_ID", reason: "SMS.ru needs its api_id")
            }
            sms = .smsRu(apiID: apiID, baseURL: config.string(forKey: "lastmile.smsru.api.url", default: "https://sms.ru"))
        case let other:
            throw SettingsError(key: "LASTMILE_SMS_PROVIDER", reason: "none, sandbox or smsru, not \(other)")
        }
        notifications.smsSender = config.string(forKey: "lastmile.sms.sender").flatMap { $0.isEmpty ? nil : $0 }
    }

    private mutating func readPush(_ config: ConfigReader) throws {
        // A private CA for the providers' stand-ins (tests, demos); the system's roots otherwise.
        let caFile = config.string(forKey: "lastmile.push.tls.ca.file").flatMap { $0.isEmpty ? nil : $0 }
        let tls: ClientTLSConfiguration?
        do {
            tls = try caFile.map { file throws(ClientTLSError) in try ClientTLSConfiguration(caFile: file, serverName: "localhost") }
        } catch {
            throw SettingsError(key: "LASTMILE_PUSH_TLS_CA_FILE", reason: "\(error)")
        }
        if let file = config.string(forKey: "lastmile.apns.key.file"), !file.isEmpty {
            guard let pem = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw SettingsError(key: "LASTMILE_APNS_KEY_FILE", reason: "cannot read \(file)")
            }
            guard let keyID = config.string(forKey: "lastmile.apns.key.id"), !keyID.isEmpty,
                let teamID = config.string(forKey: "lastmile.apns.team.id"), !teamID.isEmpty,
                let topic = config.string(forKey: "lastmile.apns.topic"), !topic.isEmpty
            else { throw SettingsError(key: "LASTMILE_APNS_KEY_ID", reason: "APNs needs the key id, the team id and the topic (bundle id)") }
            do {
                let key = try APNsSigningKey(pem: pem, keyID: keyID, teamID: teamID)
                if let url = config.string(forKey: "lastmile.apns.url"), !url.isEmpty {
                    apns = try APNsConfiguration(url: url, key: key, topic: topic, tls: tls)
                } else {
                    let environment: APNsConfiguration.Environment =
                        config.string(forKey: "lastmile.apns.environment", default: "production") == "sandbox" ? .sandbox : .production
                    apns = try APNsConfiguration(environment: environment, key: key, topic: topic, tls: tls)
                }
            } catch {
                throw SettingsError(key: "LASTMILE_APNS_KEY_FILE", reason: "\(error)")
            }
        }
        if let file = config.string(forKey: "lastmile.fcm.service.account.file"), !file.isEmpty {
            guard let json = FileManager.default.contents(atPath: file) else {
                throw SettingsError(key: "LASTMILE_FCM_SERVICE_ACCOUNT_FILE", reason: "cannot read \(file)")
            }
            do {
                let account = try FCMServiceAccount(json: json)
                fcm = try FCMConfiguration(
                    url: config.string(forKey: "lastmile.fcm.url", default: "https://fcm.googleapis.com"), serviceAccount: account, tls: tls)
            } catch {
                throw SettingsError(key: "LASTMILE_FCM_SERVICE_ACCOUNT_FILE", reason: "\(error)")
            }
        }
    }

    private mutating func readWebPush(_ config: ConfigReader, notifications: inout NotificationsSettings) throws {
        guard config.bool(forKey: "lastmile.webpush", default: true) else {
            webPush = nil
            return
        }
        var settings = WebPushSettings()
        if let text = config.string(forKey: "lastmile.vapid.private.key", isSecret: true), !text.isEmpty {
            guard let key = VAPIDKey(privateKeyBase64URL: text) else {
                throw SettingsError(key: "LASTMILE_VAPID_PRIVATE_KEY", reason: "base64url of a P-256 private key (32 bytes)")
            }
            settings.privateKey = key
        }
        if let subject = config.string(forKey: "lastmile.vapid.subject"), !subject.isEmpty {
            guard VAPIDSubject(subject) != nil else { throw SettingsError(key: "LASTMILE_VAPID_SUBJECT", reason: "a mailto: or https: URL") }
            settings.subject = subject
        }
        webPush = settings
        switch config.string(forKey: "lastmile.webpush.hosts", default: "") {
        case "": break
        case "any": notifications.webPushHosts = .any
        case let list:
            notifications.webPushHosts = WebPushHostPolicy(
                suffixes: list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    /// `Name <address>` or a bare address.
    static func mailbox(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard address.contains("@"), !address.contains(" ") else { return nil }
            return MailAddress(address, name: name.isEmpty ? nil : name)
        }
        guard trimmed.contains("@"), !trimmed.contains(" ") else { return nil }
        return MailAddress(trimmed)
    }
}
