import AsyncHTTPClient
import Crypto
import Foundation
import Testing
import WebPush

@Suite struct VAPIDKeyTests {
    @Test func theApplicationServerKeyIsTheUncompressedPublicPoint() throws {
        let key = VAPIDKey.generate()
        let point = decode(key.applicationServerKey)
        #expect(point.count == 65 && point[0] == 4)
        #expect(!key.applicationServerKey.contains("=") && !key.applicationServerKey.contains("+") && !key.applicationServerKey.contains("/"))
        let stored = try #require(VAPIDKey(privateKeyBase64URL: key.privateKeyBase64URL))
        #expect(stored.applicationServerKey == key.applicationServerKey)
        var dumped = ""
        dump(WebPushSender(key: key, subject: VAPIDSubject("mailto:noc@lastmile.example.ru")!, client: .shared), to: &dumped)
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped] { #expect(!text.contains(key.privateKeyBase64URL), "\(text)") }
        #expect(VAPIDKey(privateKeyBase64URL: "short") == nil)
    }

    @Test func theAuthorizationCarriesASignedTokenForTheAudience() throws {
        let key = VAPIDKey.generate()
        let expires = Date(timeIntervalSince1970: 1_796_000_000)
        let header = try key.authorization(
            audience: "https://push.example.net", subject: try #require(VAPIDSubject("mailto:noc@lastmile.example.ru")), expires: expires)
        let match = try #require(header.wholeMatch(of: /vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)/))
        #expect(String(match.2) == key.applicationServerKey)
        let parts = match.1.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let jose = try JSONSerialization.jsonObject(with: Data(decode(parts[0]))) as? [String: String]
        #expect(jose?["alg"] == "ES256")
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(decode(parts[1]))) as? [String: Any])
        #expect(claims["aud"] as? String == "https://push.example.net")
        #expect(claims["sub"] as? String == "mailto:noc@lastmile.example.ru")
        #expect((claims["exp"] as? NSNumber)?.intValue == 1_796_000_000)
        let publicKey = try P256.Signing.PublicKey(x963Representation: decode(key.applicationServerKey))
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: decode(parts[2]))
        #expect(publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8)))
    }

    @Test func aSubjectIsAMailtoOrHTTPSURL() {
        #expect(VAPIDSubject("mailto:noc@lastmile.example.ru") != nil)
        #expect(VAPIDSubject("https://lastmile.example.ru/contact") != nil)
        for bad in ["noc@lastmile.example.ru", "mailto:", "mailto:@x", "http://lastmile.example.ru", "https://", ""] {
            #expect(VAPIDSubject(bad) == nil, "\(bad)")
        }
    }

    @Test func aTopicOutsideRFC8030IsAProblem() {
        #expect(WebPushOptions(topic: "invoice-2026-12").problem == nil)
        #expect(WebPushOptions(topic: String(repeating: "a", count: 33)).problem != nil)
        #expect(WebPushOptions(topic: "счёт").problem != nil)
        #expect(WebPushOptions(topic: "").problem != nil)
        #expect(WebPushOptions(timeToLive: -1).problem != nil)
    }
}
