import Clients
import Contracts
import Foundation
import Kernel
import Notifications
import ServerKit
import Testing

/// ``NotificationsAPI``'s contract, held by the local service and by the client over the internal API alike.
@Suite("Notifications contract")
struct NotificationsContractTests {
    @Test("Devices, inbox, preferences, the delivery log", arguments: Mode.allCases)
    func everything(mode: Mode) async throws {
        try await NotificationsEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let ivan = try await endpoint.customer()
            let token = String(repeating: "0a1b2c3d", count: 8)
            let device = try await api.registerDevice(DeviceRegistration(platform: .apns, token: token, appId: "ru.isp.app"), userID: ivan.userId)
            #expect(try await api.devices(ofUser: ivan.userId) == [device])
            await #expect(throws: NotificationsError.invalidField(field: "appId", reason: "the app's bundle id, the APNs topic")) {
                try await api.registerDevice(DeviceRegistration(platform: .apns, token: token), userID: ivan.userId)
            }
            await #expect(throws: NotificationsError.notFound) { try await api.deleteDevice(id: device.id, userID: "u-other") }
            try await api.deleteDevice(id: device.id, userID: ivan.userId)

            try await endpoint.deliver(SubscriptionResumed(subscriptionId: "s-1", customerId: ivan.id))
            let inbox = try await api.inbox(ofUser: ivan.userId, unreadOnly: true, page: PageRequest())
            #expect(inbox.items.map(\.title) == ["Связь восстановлена"] && inbox.unread == 1)
            #expect(try await api.markRead(ids: inbox.items.map(\.id), userID: ivan.userId) == 0)

            let defaults = try await api.preferences(ofUser: ivan.userId)
            var mine = defaults
            mine.quietHours = nil
            #expect(try await api.setPreferences(mine, userID: ivan.userId) == mine)
            #expect(try await api.preferences(ofUser: ivan.userId) == mine)
            await #expect(throws: NotificationsError.self) {
                try await api.setPreferences(NotificationPreferences(channels: [:], quietHours: nil, timeZone: "Nowhere"), userID: ivan.userId)
            }
            #expect(try await api.deliveries(ofCustomer: ivan.id, page: PageRequest()).items.isEmpty, "no channel is configured here")
        }
    }

    @Test("A customer's call reaches only their own devices, inbox and preferences, and no delivery log")
    func aCustomersCallStaysWithTheirOwn() async throws {
        try await NotificationsEndpoint.with(.remote) { endpoint in
            let baseURL = try #require(endpoint.baseURL)
            let keys = try await ServedEndpoint.keys.keys()
            let asA = try await keys.sign(
                issuer: "gateway", audience: "notifications", actingUser: ActingUser(userID: "u-a", role: .customer, sessionID: "s"))
            let none = try await InternalAPISecurityTests.post(baseURL + NotificationsOperations.inbox.path, token: nil, body: "{}")
            #expect(none.status == 401)
            let own = try await InternalAPISecurityTests.post(
                baseURL + NotificationsOperations.preferences.path, token: asA, body: #"{"userID":"u-a"}"#)
            #expect(own.status == 200)
            for operation in [NotificationsOperations.preferences.path, NotificationsOperations.devices.path] {
                let other = try await InternalAPISecurityTests.post(baseURL + operation, token: asA, body: #"{"userID":"u-b"}"#)
                #expect(other.status == 404, "\(operation)")
            }
            let log = try await InternalAPISecurityTests.post(
                baseURL + NotificationsOperations.deliveries.path, token: asA, body: #"{"customerID":"c-a","page":{"limit":10}}"#)
            #expect(log.status == 404)
        }
    }
}
