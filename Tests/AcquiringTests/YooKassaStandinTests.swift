import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import Kernel
import NIOCore
import NIOHTTP1
import Testing

/// The stand-in held to what YooKassa's documentation says its API checks and answers.
@Suite struct YooKassaStandinTests {
    private let payment =
        #"{"amount":{"value":"100.00","currency":"RUB"},"capture":true,"confirmation":{"type":"redirect","return_url":"https://isp.example"}"#

    @Test func aReceiptWhoseItemsDoNotAddUpGetsTheDocumentedError() async throws {
        let rig = try await YooKassaRig.start()
        let receipt =
            #","receipt":{"customer":{"email":"a@example.ru"},"items":[{"description":"Интернет","quantity":"2.00","amount":{"value":"49.99","currency":"RUB"},"vat_code":11,"payment_mode":"full_payment","payment_subject":"service"}]}}"#
        let answer = try await rig.call(.POST, "/payments", key: "k1", body: payment + receipt)
        #expect(answer.status == 400)
        #expect(answer.json["type"] as? String == "error")
        #expect(answer.json["code"] as? String == "invalid_request")
        #expect(answer.json["parameter"] as? String == "receipt.items")
        #expect(answer.json["id"] is String)
        await rig.stop()
    }

    @Test func requestsWithoutCredentialsOrKeysOrWithAReusedKeyAreRefused() async throws {
        let rig = try await YooKassaRig.start()
        let body = payment + "}"
        let anonymous = try await rig.call(.POST, "/payments", key: "k", body: body, authorised: false)
        #expect(anonymous.status == 401)
        #expect(anonymous.json["code"] as? String == "invalid_credentials")
        let keyless = try await rig.call(.POST, "/payments", body: body)
        #expect(keyless.status == 400)
        #expect(keyless.json["parameter"] as? String == "Idempotence-Key")

        let first = try await rig.call(.POST, "/payments", key: "k", body: body)
        #expect(first.status == 200)
        let again = try await rig.call(.POST, "/payments", key: "k", body: body)
        #expect(again.json["id"] as? String == first.json["id"] as? String)
        let other = try await rig.call(.POST, "/payments", key: "k", body: body.replacingOccurrences(of: "100.00", with: "200.00"))
        #expect(other.status == 400)
        #expect(other.json["parameter"] as? String == "Idempotence-Key")
        await rig.stop()
    }

    @Test func amountsAndRequiredFieldsAreChecked() async throws {
        let rig = try await YooKassaRig.start()
        let fraction = try await rig.call(.POST, "/payments", key: "a", body: payment.replacingOccurrences(of: "100.00", with: "100.001") + "}")
        #expect(fraction.status == 400)
        #expect(fraction.json["parameter"] as? String == "amount.value")
        let missing = try await rig.call(.POST, "/payments", key: "b", body: #"{"capture":true}"#)
        #expect(missing.status == 400)
        #expect(missing.json["parameter"] as? String == "amount")
        let noConfirmation = try await rig.call(.POST, "/payments", key: "c", body: #"{"amount":{"value":"1.00","currency":"RUB"}}"#)
        #expect(noConfirmation.json["parameter"] as? String == "confirmation")
        let notFound = try await rig.call(.GET, "/payments/2d8ebc0e-000f-5000-a000-1e4bd8cc4c5a")
        #expect(notFound.status == 404)
        #expect(notFound.json["code"] as? String == "not_found")
        await rig.stop()
    }

    @Test func listsPageWithCursorsNewestFirst() async throws {
        let rig = try await YooKassaRig.start()
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(try #require(try await rig.call(.POST, "/payments", key: "k\(index)", body: payment + "}").json["id"] as? String))
        }
        let first = try await rig.call(.GET, "/payments?limit=3")
        #expect(first.json["type"] as? String == "list")
        let firstItems = try #require(first.json["items"] as? [[String: Any]])
        #expect(firstItems.compactMap { $0["id"] as? String } == Array(ids.reversed().prefix(3)))
        let cursor = try #require(first.json["next_cursor"] as? String)
        let second = try await rig.call(.GET, "/payments?limit=3&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect((second.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == Array(ids.reversed().suffix(2)))
        #expect(second.json["next_cursor"] == nil)
        let badLimit = try await rig.call(.GET, "/payments?limit=101")
        #expect(badLimit.status == 400)
        #expect(badLimit.json["parameter"] as? String == "limit")
        await rig.stop()
    }

    @Test func theControlRouteDeclinesASavedMethodsCharges() async throws {
        let rig = try await YooKassaRig.start()
        let first = YooKassaRig.request(100_00, save: true)
        let created = try await rig.provider.createPayment(first)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        let token = try #require(
            try await rig.provider.findPayment(YooKassaRig.reference(first, providerID: created.providerPaymentID))?.savedMethod?.token)

        var request = HTTPClientRequest(url: rig.server.baseURL + "/standin/yookassa/saved-methods/\(token)/decline")
        request.method = .POST
        #expect(try await YooKassaRig.client.execute(request, timeout: .seconds(10)).status == .noContent)
        #expect(try await rig.provider.createPayment(YooKassaRig.request(100_00, source: .saved(token: token))).status == .canceled)

        request.body = .bytes(ByteBuffer(string: #"{"declined":false}"#))
        #expect(try await YooKassaRig.client.execute(request, timeout: .seconds(10)).status == .noContent)
        #expect(try await rig.provider.createPayment(YooKassaRig.request(100_00, source: .saved(token: token))).status == .succeeded)
        await rig.stop()
    }
}
