import Contracts
import Crypto
import Foundation
import Kernel
import Storage
import Synchronization

extension NotificationsService {
    /// Turns e-mail off for one category of a person's notifications, from the signed link of an e-mail (RFC 8058's
    /// one-click `POST`, or the footer's button); no sign-in. Refused without this person's and category's token.
    public func unsubscribe(userID: String, category: NotificationCategory, token: String) async throws {
        guard userID.count <= 64, token.count <= 64,
            let given = Base64URL.decode(Substring(token)),
            try await unsubscribeCode(userID: userID, category: category) == Data(given)
        else { throw NotificationsError.invalidField(field: "t", reason: "not a valid unsubscribe link") }
        var preferences = try await preferences(ofUser: userID)
        preferences.channels[category] = (preferences.channels[category] ?? []).filter { $0 != .email }
        try await PreferenceStore.save(preferences, userID: userID, at: clock.now(), in: database)
    }

    /// The one-click unsubscribe address of a person's e-mails of `category`.
    func unsubscribeURL(userID: String, category: NotificationCategory) async throws -> String {
        let code = Base64URL.encode(try await unsubscribeCode(userID: userID, category: category))
        var query = URLComponents()
        query.queryItems = [.init(name: "u", value: userID), .init(name: "c", value: category.rawValue), .init(name: "t", value: code)]
        return settings.publicBaseURL + "/api/v1/notifications/unsubscribe?" + (query.percentEncodedQuery ?? "")
    }

    private func unsubscribeCode(userID: String, category: NotificationCategory) async throws -> Data {
        let key: Data
        if let known = unsubscribeKey.withLock({ $0 }) {
            key = known
        } else {
            key = try await StoredSecret.key(named: "unsubscribe", in: "notification_secrets", database: database)
            unsubscribeKey.withLock { $0 = key }
        }
        let message = Data("unsubscribe:\(userID):\(category.rawValue)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
