import ClientTLS
import Contracts
import Crypto
import Foundation
import Kernel
import NIOSSL
import Notifications
import Push
import PushStandins
import SMS
import TestSupport
import Testing
import _CryptoExtras

@Suite("Mobile pushes through stand-ins of APNs and FCM that verify our tokens")
struct MobilePushTests {
    private static let topic = "ru.isp.app"
    private static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    private func tls(_ certificate: StandinCertificate) throws -> ClientTLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificate.caPEM.utf8), format: .pem)])
        return try ClientTLSConfiguration(tls, serverName: "localhost")
    }

    @Test(arguments: DatabaseKind.available)
    func aPaymentIsPushedToEveryAppOfTheCustomerAndADeadTokenIsForgotten(kind: DatabaseKind) async throws {
        let key = P256.Signing.PrivateKey()
        let apnsStandin = try await APNsStandin.start(
            configuration: .init(teamID: "TEAM123456", keyID: "KEY1234567", publicKey: key.publicKey, topics: [Self.topic]))
        let fcmStandin = try await FCMStandin.start(
            configuration: .init(projectID: "isp-test", clientEmail: "push@isp-test.iam.gserviceaccount.com", publicKey: Self.rsaKey.publicKey))
        let account: [String: String] = [
            "type": "service_account", "project_id": "isp-test", "private_key_id": "k1", "client_email": "push@isp-test.iam.gserviceaccount.com",
            "private_key": Self.rsaKey.pkcs8PEMRepresentation, "token_uri": fcmStandin.tokenURI,
        ]
        let apns = try APNsClient(
            configuration: try APNsConfiguration(
                url: apnsStandin.url, key: try APNsSigningKey(pem: key.pemRepresentation, keyID: "KEY1234567", teamID: "TEAM123456"),
                topic: Self.topic, tls: try tls(apnsStandin.certificate)))
        let fcm = try FCMClient(
            configuration: try FCMConfiguration(
                url: fcmStandin.url, serviceAccount: try FCMServiceAccount(json: try JSONSerialization.data(withJSONObject: account)),
                tls: try tls(fcmStandin.certificate)))
        do {
            try await NotificationsHarness.with(kind, sms: true, push: MobilePushChannel(apns: apns, fcm: fcm)) { h in
                let ivan = try await h.customer()
                let iphone = String(repeating: "a1b2c3d4", count: 8)
                let android = "fcm-token:" + String(repeating: "APA91b", count: 20)
                _ = try await h.service.registerDevice(DeviceRegistration(platform: .apns, token: iphone, appId: Self.topic), userID: ivan.userId)
                let pixel = try await h.service.registerDevice(DeviceRegistration(platform: .fcm, token: android), userID: ivan.userId)
                try await h.deliver(PaymentSucceeded(paymentId: "p-1", customerId: ivan.id, invoiceId: nil, amount: .rub(50_000), method: .provider))
                try await h.settle()
                let log = try await h.deliveries(of: ivan)
                #expect(log.map(\.channel).sorted { $0.rawValue < $1.rawValue } == [.push, .push], "the app, not a text")
                #expect(log.allSatisfy { $0.state == .sent })
                #expect(h.texts.records.isEmpty)
                let pushed = try #require(apnsStandin.delivered.first)
                #expect(pushed.deviceToken == iphone && pushed.topic == Self.topic && pushed.pushType == "alert")
                #expect(log.map(\.id).contains(pushed.collapseID ?? ""), "the delivery is the collapse id")
                #expect(String(decoding: pushed.payload, as: UTF8.self).contains("Платёж получен"))
                let message = try #require(fcmStandin.delivered.first)
                #expect(message.token == android)
                #expect((message.message["notification"] as? [String: Any])?["title"] as? String == "Платёж получен")

                apnsStandin.markUnregistered(iphone, since: Date())
                h.clock.advance(by: 600)
                try await h.deliver(PaymentSucceeded(paymentId: "p-2", customerId: ivan.id, invoiceId: nil, amount: .rub(10_000), method: .provider))
                try await h.settle()
                #expect(try await h.deliveries(of: ivan).contains { $0.state == .bounced })
                #expect(try await h.service.devices(ofUser: ivan.userId).map(\.id) == [pixel.id], "the dead iPhone token is forgotten")
            }
        } catch {
            await apns.shutdown()
            await fcm.shutdown()
            await apnsStandin.stop()
            await fcmStandin.stop()
            throw error
        }
        await apns.shutdown()
        await fcm.shutdown()
        await apnsStandin.stop()
        await fcmStandin.stop()
    }
}
