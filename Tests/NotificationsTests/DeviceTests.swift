import Contracts
import Foundation
import Kernel
import Notifications
import TestSupport
import Testing

@Suite("Devices: registered by their owners, checked, never another's")
struct DeviceTests {
    private let fcmToken = "fcm_" + String(repeating: "aB3-", count: 30)
    private let apnsToken = String(repeating: "0f1e2d3c", count: 8)

    @Test(arguments: DatabaseKind.available)
    func theSameTokenRegisteredAgainIsTheSameDevice(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let first = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken, name: "Pixel 8"), userID: "u-1")
            h.clock.advance(by: 3600)
            let again = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken, name: "Pixel 8 Pro"), userID: "u-1")
            #expect(again.id == first.id)
            #expect(again.name == "Pixel 8 Pro")
            #expect(again.lastSeenAt > first.lastSeenAt)
            let apns = try await h.service.registerDevice(
                DeviceRegistration(platform: .apns, token: apnsToken.uppercased(), appId: "ru.isp.app", locale: "en"), userID: "u-1")
            #expect(try await h.service.devices(ofUser: "u-1").map(\.id) == [apns.id, first.id])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aStrangersDeviceCannotBeSeenOrRemoved(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let mine = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken), userID: "u-1")
            #expect(try await h.service.devices(ofUser: "u-2").isEmpty)
            await #expect(throws: NotificationsError.notFound) { try await h.service.deleteDevice(id: mine.id, userID: "u-2") }
            try await h.service.deleteDevice(id: mine.id, userID: "u-1")
            #expect(try await h.service.devices(ofUser: "u-1").isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func badRegistrationsAreRefusedNamingTheField(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let goodKey = Base64URL.encode([4] + Array(repeating: UInt8(1), count: 64))
            let cases: [(DeviceRegistration, String)] = [
                (DeviceRegistration(platform: .fcm, token: "short"), "token"),
                (DeviceRegistration(platform: .fcm, token: fcmToken + "<script>"), "token"),
                (DeviceRegistration(platform: .apns, token: "xyz", appId: "ru.isp.app"), "token"),
                (DeviceRegistration(platform: .apns, token: apnsToken), "appId"),
                (DeviceRegistration(platform: .webpush, token: fcmToken), "token"),
                (DeviceRegistration(platform: .webpush), "subscription"),
                (
                    DeviceRegistration(
                        platform: .webpush,
                        subscription: .init(endpoint: "http://push.example/abc", keys: .init(p256dh: goodKey, auth: "AAAAAAAAAAAAAAAAAAAAAA"))),
                    "subscription.endpoint"
                ),
                (
                    DeviceRegistration(
                        platform: .webpush,
                        subscription: .init(
                            endpoint: "https://fcm.googleapis.com/fcm/send/abc", keys: .init(p256dh: goodKey, auth: "AAAAAAAAAAAAAAAAAAAAAA"))),
                    "subscription.keys.p256dh"
                ),
                (DeviceRegistration(platform: .fcm, token: fcmToken, locale: "de"), "locale"),
                (DeviceRegistration(platform: .fcm, token: fcmToken, name: String(repeating: "x", count: 101)), "name"),
            ]
            for (registration, field) in cases {
                let refused = await refusedField { _ = try await h.service.registerDevice(registration, userID: "u-1") }
                #expect(refused == field, "\(registration)")
            }
            let kept = try await h.service.devices(ofUser: "u-1")
            #expect(kept.isEmpty, "nothing half-written")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPersonKeepsAtMostTheConfiguredNumberOfDevices(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, configure: { $0.maximumDevices = 2 }) { h in
            for n in 0..<2 { _ = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken + "\(n)"), userID: "u-1") }
            await #expect(throws: NotificationsError.self) {
                try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken + "x"), userID: "u-1")
            }
            #expect(try await h.service.devices(ofUser: "u-1").count == 2)
            // Refreshing one already there is no new device.
            _ = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: fcmToken + "0"), userID: "u-1")
        }
    }
}

@Suite("Preferences: defaults, checked changes")
struct PreferenceTests {
    @Test(arguments: DatabaseKind.available)
    func defaultsUntilChangedThenTheChoiceWithUnnamedCategoriesAtTheirDefaults(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let defaults = try await h.service.preferences(ofUser: "u-1")
            #expect(defaults.timeZone == "Europe/Moscow")
            #expect(defaults.quietHours == QuietHours(from: "22:00", to: "08:00"))
            #expect(defaults.channels[.billing] == [.email, .push, .webPush])
            let saved = try await h.service.setPreferences(
                NotificationPreferences(channels: [.billing: [.sms, .sms, .email]], quietHours: nil, timeZone: "Asia/Yekaterinburg"), userID: "u-1")
            #expect(saved.channels[.billing] == [.sms, .email])
            #expect(saved.channels[.support] == defaults.channels[.support])
            #expect(try await h.service.preferences(ofUser: "u-1") == saved)
            #expect(try await h.service.preferences(ofUser: "u-2") == defaults)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func badPreferencesAreRefusedNamingTheField(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let cases: [(NotificationPreferences, String)] = [
                (NotificationPreferences(channels: [:], quietHours: nil, timeZone: "Mars/Olympus"), "timeZone"),
                (
                    NotificationPreferences(channels: [:], quietHours: QuietHours(from: "25:00", to: "08:00"), timeZone: "Europe/Moscow"),
                    "quietHours.from"
                ),
                (NotificationPreferences(channels: [:], quietHours: QuietHours(from: "22:00", to: "8"), timeZone: "Europe/Moscow"), "quietHours.to"),
                (
                    NotificationPreferences(channels: [:], quietHours: QuietHours(from: "22:00", to: "22:00"), timeZone: "Europe/Moscow"),
                    "quietHours.to"
                ),
                (NotificationPreferences(channels: [.news: [.inApp]], quietHours: nil, timeZone: "Europe/Moscow"), "channels.news"),
            ]
            for (preferences, field) in cases {
                let refused = await refusedField { _ = try await h.service.setPreferences(preferences, userID: "u-1") }
                #expect(refused == field, "\(preferences)")
            }
        }
    }
}

/// The field a refusal names; nil when `body` was not refused for a field.
func refusedField(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch NotificationsError.invalidField(let field, _) {
        return field
    } catch {
        return nil
    }
}
