import Crypto
import Foundation
import Testing
import WebPush

@Suite struct WebPushSubscriptionTests {
    let p256dh = encode(P256.KeyAgreement.PrivateKey().publicKey.x963Representation)
    let auth = encode([UInt8](repeating: 1, count: 16))

    func json(
        endpoint: String = "https://fcm.googleapis.com/fcm/send/abc:def", p256dh: String? = nil, auth: String? = nil, expiration: String = "null"
    )
        -> [UInt8]
    {
        Array(
            #"{"endpoint":"\#(endpoint)","expirationTime":\#(expiration),"keys":{"p256dh":"\#(p256dh ?? self.p256dh)","auth":"\#(auth ?? self.auth)"}}"#
                .utf8)
    }

    @Test func aBrowsersJSONIsRead() throws {
        let subscription = try WebPushSubscription(json: json(expiration: "1796000000000"))
        #expect(subscription.endpoint == "https://fcm.googleapis.com/fcm/send/abc:def")
        #expect(subscription.p256dhBase64URL == p256dh)
        #expect(subscription.authBase64URL == auth)
        #expect(subscription.expirationTime == Date(timeIntervalSince1970: 1_796_000_000))
        #expect(subscription.origin == "https://fcm.googleapis.com")
        #expect(try WebPushSubscription(json: json(endpoint: "https://127.0.0.1:8443/push/x"), hosts: .any).origin == "https://127.0.0.1:8443")
    }

    @Test func aBadEndpointIsNamedWithItsFault() {
        for (endpoint, reason) in [
            ("http://fcm.googleapis.com/fcm/send/x", "endpoint is not an https URL"),
            ("fcm.googleapis.com/fcm/send/x", "endpoint is not an absolute URL"),
            ("https://user:pw@fcm.googleapis.com/fcm/send/x", "endpoint carries user information or a fragment"),
            ("https://fcm.googleapis.com/fcm/send/" + String(repeating: "a", count: 1000), "endpoint is longer than 1024 characters"),
        ] {
            do {
                _ = try WebPushSubscription(json: json(endpoint: endpoint))
                Issue.record("\(endpoint) was taken")
            } catch {
                #expect(error.description == reason)
            }
        }
    }

    @Test func onlyWellKnownPushServicesAreTakenUnlessToldOtherwise() throws {
        for endpoint in [
            "https://fcm.googleapis.com/fcm/send/x", "https://updates.push.services.mozilla.com/wpush/v2/x", "https://web.push.apple.com/x",
            "https://wns2-par02p.notify.windows.com/w/?token=x",
        ] {
            #expect(fieldOf { try WebPushSubscription(json: json(endpoint: endpoint)) } == nil, "\(endpoint)")
        }
        for endpoint in ["https://127.0.0.1/x", "https://localhost/x", "https://billing.internal/x", "https://evilfcm.googleapis.com.example/x"] {
            #expect(fieldOf { try WebPushSubscription(json: json(endpoint: endpoint)) } == "endpoint", "\(endpoint)")
        }
        let own = WebPushHostPolicy(suffixes: ["push.lastmile.example.ru"])
        #expect(
            try WebPushSubscription(json: json(endpoint: "https://eu.push.lastmile.example.ru/x"), hosts: own).origin
                == "https://eu.push.lastmile.example.ru")
        #expect(fieldOf { try WebPushSubscription(json: json(endpoint: "https://fcm.googleapis.com/x"), hosts: own) } == "endpoint")
        #expect(try WebPushSubscription(json: json(endpoint: "https://10.0.0.1/x"), hosts: .any).endpoint == "https://10.0.0.1/x")
    }

    @Test func aKeyThatIsNotAnUncompressedP256PointIsNamed() {
        let compressed = encode(P256.KeyAgreement.PrivateKey().publicKey.compressedRepresentation)
        let offCurve = encode([4] + [UInt8](repeating: 1, count: 64))
        for key in [compressed, offCurve, "not base64!", encode([4, 1, 2])] {
            #expect(fieldOf { try WebPushSubscription(json: json(p256dh: key)) } == "keys.p256dh")
        }
    }

    @Test func anAuthSecretOfAnyLengthButSixteenIsNamed() {
        #expect(fieldOf { try WebPushSubscription(json: json(auth: encode([UInt8](repeating: 1, count: 12)))) } == "keys.auth")
        #expect(fieldOf { try WebPushSubscription(json: json(auth: "")) } == "keys.auth")
    }

    @Test func missingPartsAreNamed() {
        #expect(fieldOf { try WebPushSubscription(json: Array(#"{"keys":{}}"#.utf8)) } == "endpoint")
        #expect(fieldOf { try WebPushSubscription(json: Array(#"{"endpoint":"https://a.example/x"}"#.utf8)) } == "keys")
        #expect(fieldOf { try WebPushSubscription(json: Array(#"{"endpoint":"https://a.example/x","keys":{"auth":"x"}}"#.utf8)) } == "keys.p256dh")
        #expect(fieldOf { try WebPushSubscription(json: json(expiration: #""tomorrow""#)) } == "expirationTime")
        #expect(fieldOf { try WebPushSubscription(json: Array("[]".utf8)) } == "")
    }

    func fieldOf(_ body: () throws -> WebPushSubscription) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? WebPushSubscriptionError)?.field ?? "not a WebPushSubscriptionError"
        }
    }
}
