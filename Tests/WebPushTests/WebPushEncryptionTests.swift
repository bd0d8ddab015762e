import Crypto
import Foundation
import Testing
import WebPush

@Suite struct WebPushEncryptionTests {
    /// RFC 8291 Appendix A: the example's keys, secret and salt give exactly the example's body.
    @Test func theRFCsExampleEncryptsToTheRFCsBody() throws {
        let senderPrivate = try P256.KeyAgreement.PrivateKey(rawRepresentation: decode("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
        #expect(
            Array(senderPrivate.publicKey.x963Representation)
                == decode("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"))
        let body = try WebPushEncryption.encrypt(
            Array("When I grow up, I want to be a watermelon".utf8),
            p256dh: decode("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            auth: decode("BTBZMqHH6r4Tts7J_aSIgg"), senderKey: senderPrivate, salt: decode("DGv6ra1nlYgDCS1FRnbzlw"))
        #expect(
            body
                == decode(
                    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
                ))
    }

    @Test func twoEncryptionsOfOneTextDifferInKeyAndSalt() throws {
        let subscription = try Fixtures.subscription()
        let first = try WebPushEncryption.encrypt(Array("Счёт оплачен".utf8), to: subscription)
        let second = try WebPushEncryption.encrypt(Array("Счёт оплачен".utf8), to: subscription)
        #expect(first.count == second.count)
        #expect(first.prefix(16) != second.prefix(16))
        #expect(first[21..<86] != second[21..<86])
    }

    @Test func theLargestPayloadFillsTheBodyAndOneMoreByteIsRefused() throws {
        let subscription = try Fixtures.subscription()
        let largest = [UInt8](repeating: 0x41, count: WebPushEncryption.maximumPlaintextSize)
        #expect(try WebPushEncryption.encrypt(largest, to: subscription).count == 4096)
        #expect(throws: WebPushError.payloadTooLarge(bytes: largest.count + 1, limit: largest.count)) {
            try WebPushEncryption.encrypt(largest + [0x41], to: subscription)
        }
    }
}

/// Base64url, decoded by Foundation after translating the alphabet (not the module's own decoder).
func decode(_ text: String) -> [UInt8] {
    var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
    return Array(Data(base64Encoded: standard)!)
}

/// Base64url without padding.
func encode(_ bytes: some Sequence<UInt8>) -> String {
    Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

enum Fixtures {
    /// A browser's subscription with a fresh key.
    static func subscription(endpoint: String = "https://updates.push.services.mozilla.com/wpush/v2/abc") throws -> WebPushSubscription {
        let browser = P256.KeyAgreement.PrivateKey()
        return try WebPushSubscription(
            endpoint: endpoint, p256dh: encode(browser.publicKey.x963Representation), auth: encode([UInt8](repeating: 7, count: 16)))
    }
}
