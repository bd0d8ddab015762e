import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import Kernel
import NIOHTTP1
import Testing

@Suite struct YooKassaProviderTests {
    @Test func aCardPaymentWithAReceiptIsPaidOnThePageAndFoundSucceeded() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(1234_56)
        let created = try await rig.provider.createPayment(request)
        #expect(created.status == .pending)
        #expect(created.amount == .rub(1234_56))
        #expect(created.paymentID == request.paymentID)
        let url = try #require(YooKassaRig.pageURL(created))
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID))?.status == .pending)

        let page = try await YooKassaRig.act("pay", on: url)
        #expect(page.status == 200)
        let found = try #require(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID)))
        #expect(found.status == .succeeded)
        #expect(found.amount == .rub(1234_56))
        #expect(found.paymentID == request.paymentID)
        #expect(found.savedMethod == nil)
        await rig.stop()
    }

    @Test func aDeclineOnThePageCancelsThePayment() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(500_00)
        let created = try await rig.provider.createPayment(request)
        _ = try await YooKassaRig.act("decline", on: try #require(YooKassaRig.pageURL(created)))
        let found = try #require(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID)))
        #expect(found.status == .canceled)
        #expect(found.failureReason == "payment_network: general_decline")
        // A page answered once does not change its mind.
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID))?.status == .canceled)
        await rig.stop()
    }

    @Test func aPaymentNeverConfirmedExpiresCancelled() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(200_00)
        let created = try await rig.provider.createPayment(request)
        #expect(await rig.standin.expirePayment(created.providerPaymentID))
        let found = try #require(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID)))
        #expect(found.status == .canceled)
        #expect(found.failureReason == "yoo_money: expired_on_confirmation")
        #expect(await rig.standin.receivedNotifications().count == 1)
        #expect(await !rig.standin.expirePayment("no-such-payment"))
        await rig.stop()
    }

    @Test func theSameCreationTwiceIsOnePayment() async throws {
        let rig = try await YooKassaRig.start()
        let start = Date()
        let request = YooKassaRig.request(300_00)
        let first = try await rig.provider.createPayment(request)
        let second = try await rig.provider.createPayment(request)
        #expect(first.providerPaymentID == second.providerPaymentID)
        let operations = try await rig.provider.operations(in: DateInterval(start: start.addingTimeInterval(-60), end: Date().addingTimeInterval(60)))
        #expect(operations.count == 1)
        await rig.stop()
    }

    @Test func twoHundredClientsAtOnceEachGetTheirPaymentAndOneKeyMakesOne() async throws {
        let rig = try await YooKassaRig.start()
        // A client of its own that opens a connection per caller, so the stand-in sees 200 clients at once.
        var configuration = ProviderHTTPClient.configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 200
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let provider = YooKassaProvider(
            configuration: YooKassaConfiguration(shopID: YooKassaRig.shopID, secretKey: YooKassaRig.secretKey, apiBaseURL: rig.standin.apiBaseURL),
            client: client)
        // The client is shut down however the calls end: one dropped without it stops the whole test process.
        var failure: (any Error)?
        do {
            let start = Date().addingTimeInterval(-60)
            let shared = YooKassaRig.request(100_00)
            let ids = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let request = index % 2 == 0 ? YooKassaRig.request(Int64(100 + index)) : shared
                        return (request.paymentID, try await provider.createPayment(request).providerPaymentID)
                    }
                }
                var ids: [(String, String)] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(Set(ids.filter { $0.0 == shared.paymentID }.map { $0.1 }).count == 1)
            let operations = try await rig.provider.operations(in: DateInterval(start: start, end: Date().addingTimeInterval(60)))
            #expect(operations.count == 101)
            #expect(Set(operations.map(\.providerID)) == Set(ids.map { $0.1 }))
        } catch {
            failure = error
        }
        try await client.shutdown()
        await rig.stop()
        if let failure { throw failure }
    }

    @Test func aReceiptWhoseItemsDoNotAddUpIsRefused() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(1000_00, receiptKopecks: 999_99)
        await #expect {
            _ = try await rig.provider.createPayment(request)
        } throws: { error in
            guard case .refused(let code, let message) = error as? ProviderError else { return false }
            return code == "invalid_request" && message.contains("receipt.items")
        }
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: nil)) == nil)
        await rig.stop()
    }

    @Test func aSavedCardIsChargedAtOnceAndThenDeclinedWhenTheBankSaysSo() async throws {
        let rig = try await YooKassaRig.start()
        let first = YooKassaRig.request(700_00, save: true)
        let created = try await rig.provider.createPayment(first)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        let paid = try #require(try await rig.provider.findPayment(YooKassaRig.reference(first, providerID: created.providerPaymentID)))
        let saved = try #require(paid.savedMethod)
        #expect(saved.title == "MasterCard •••• 4444")
        #expect(saved.expires?.hasSuffix("-12") == true)

        let charge = try await rig.provider.createPayment(YooKassaRig.request(700_00, source: .saved(token: saved.token)))
        #expect(charge.status == .succeeded)
        #expect(charge.confirmation == nil)

        #expect(await rig.standin.declineSavedMethod(saved.token))
        let declined = try await rig.provider.createPayment(YooKassaRig.request(700_00, source: .saved(token: saved.token)))
        #expect(declined.status == .canceled)
        #expect(declined.failureReason != nil)

        await #expect(throws: ProviderError.self) {
            _ = try await rig.provider.createPayment(YooKassaRig.request(700_00, source: .saved(token: "no-such-method")))
        }
        await rig.stop()
    }

    @Test func anSBPPaymentIsConfirmedByItsQRCodeLink() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(250_00, source: .method(.sbp))
        let created = try await rig.provider.createPayment(request)
        guard case .qrCode(let payload) = created.confirmation else {
            Issue.record("an SBP payment is confirmed by a QR code, got \(String(describing: created.confirmation))")
            return
        }
        _ = try await YooKassaRig.act("pay", on: payload)
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: created.providerPaymentID))?.status == .succeeded)
        await rig.stop()
    }

    @Test func aRefundWithItsReceiptReturnsMoneyOnceAndIsFoundByEitherId() async throws {
        let rig = try await YooKassaRig.start()
        let payment = YooKassaRig.request(1000_00)
        let created = try await rig.provider.createPayment(payment)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        let reference = YooKassaRig.reference(payment, providerID: created.providerPaymentID)
        let request = ProviderRefundRequest(
            refundID: "refund-1", payment: reference, idempotencyKey: "refund-key-1", amount: .rub(400_00), receipt: YooKassaRig.receipt(400_00))
        let refund = try await rig.provider.createRefund(request)
        #expect(refund.status == .succeeded)
        #expect(refund.amount == .rub(400_00))
        #expect(try await rig.provider.createRefund(request).providerRefundID == refund.providerRefundID)

        let byProviderID = ProviderRefundReference(
            refundID: "refund-1", providerRefundID: refund.providerRefundID, payment: reference, idempotencyKey: "refund-key-1", amount: .rub(400_00))
        #expect(try await rig.provider.findRefund(byProviderID) == refund)
        var byOurID = byProviderID
        byOurID.providerRefundID = nil
        byOurID.payment.providerPaymentID = nil
        #expect(try await rig.provider.findRefund(byOurID) == refund)
        var unknown = byProviderID
        unknown.providerRefundID = "00000000-0000-0000-0000-000000000000"
        #expect(try await rig.provider.findRefund(unknown) == nil)

        let tooMuch = ProviderRefundRequest(
            refundID: "refund-2", payment: reference, idempotencyKey: "refund-key-2", amount: .rub(600_01), receipt: YooKassaRig.receipt(600_01))
        await #expect {
            _ = try await rig.provider.createRefund(tooMuch)
        } throws: { error in
            guard case .refused(let code, _) = error as? ProviderError else { return false }
            return code == "invalid_request"
        }
        await rig.stop()
    }

    @Test func aPaymentWaitingForCaptureIsCancelledAndAPendingOneIsRefused() async throws {
        let rig = try await YooKassaRig.start()
        // The adapter always captures at once; a two-stage payment is made over the API directly.
        let made = try await rig.call(
            .POST, "/payments", key: "two-stage",
            body:
                #"{"amount":{"value":"10.00","currency":"RUB"},"confirmation":{"type":"redirect","return_url":"https://isp.example"},"capture":false}"#
        )
        let id = try #require(made.json["id"] as? String)
        let page = try #require((made.json["confirmation"] as? [String: Any])?["confirmation_url"] as? String)
        _ = try await YooKassaRig.act("pay", on: page)
        let reference = ProviderPaymentReference(paymentID: "p", providerPaymentID: id, idempotencyKey: "two-stage", createdAt: Date())
        #expect(try await rig.provider.findPayment(reference)?.status == .waitingForCapture)
        let cancelled = try await rig.provider.cancelPayment(reference, idempotencyKey: "cancel-1")
        #expect(cancelled.status == .canceled)
        #expect(cancelled.failureReason == "merchant: canceled_by_merchant")

        let pending = try await rig.provider.createPayment(YooKassaRig.request(10_00))
        await #expect {
            _ = try await rig.provider.cancelPayment(
                ProviderPaymentReference(paymentID: "q", providerPaymentID: pending.providerPaymentID, idempotencyKey: "k", createdAt: Date()),
                idempotencyKey: "cancel-2")
        } throws: { error in
            guard case .refused(let code, _) = error as? ProviderError else { return false }
            return code == "invalid_request"
        }
        await rig.stop()
    }

    @Test func lookupsOfWhatYooKassaDoesNotHaveAnswerNil() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(1_00)
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: "2d8ebc0e-000f-5000-a000-1e4bd8cc4c5a")) == nil)
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: nil)) == nil)
        await rig.stop()
    }

    @Test func wrongCredentialsAreRefused() async throws {
        let rig = try await YooKassaRig.start()
        let provider = YooKassaRig.provider(rig.standin.apiBaseURL, secretKey: "wrong")
        await #expect {
            _ = try await provider.createPayment(YooKassaRig.request(1_00))
        } throws: { error in
            guard case .refused(let code, _) = error as? ProviderError else { return false }
            return code == "invalid_credentials"
        }
        await rig.stop()
    }

    @Test func operationsListADayAcrossPagesWithItsRefunds() async throws {
        let rig = try await YooKassaRig.start()
        let start = Date().addingTimeInterval(-60)
        var last: ProviderPayment?
        var lastRequest: ProviderPaymentRequest?
        for index in 0..<130 {
            let request = YooKassaRig.request(Int64(1_00 + index))
            last = try await rig.provider.createPayment(request)
            lastRequest = request
        }
        let payment = try #require(last)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(payment)))
        let reference = YooKassaRig.reference(try #require(lastRequest), providerID: payment.providerPaymentID)
        _ = try await rig.provider.createRefund(
            ProviderRefundRequest(refundID: "r", payment: reference, idempotencyKey: "r", amount: .rub(1_00), receipt: YooKassaRig.receipt(1_00)))

        let operations = try await rig.provider.operations(in: DateInterval(start: start, end: Date().addingTimeInterval(60)))
        #expect(operations.filter { $0.kind == .payment }.count == 130)
        #expect(Set(operations.map(\.providerID)).count == 131)
        let refund = try #require(operations.first { $0.kind == .refund })
        #expect(refund.providerPaymentID == payment.providerPaymentID)
        #expect(refund.paymentID == lastRequest?.paymentID)
        #expect(refund.succeeded == true)
        let paid = try #require(operations.first { $0.providerID == payment.providerPaymentID })
        #expect(paid.succeeded == true)
        #expect(paid.amount == payment.amount)
        #expect(operations.filter { $0.succeeded == nil }.count == 129)
        // Another day holds none of them.
        #expect(try await rig.provider.operations(in: DateInterval(start: start.addingTimeInterval(-86400), end: start)).isEmpty)
        await rig.stop()
    }

    @Test func theConfigurationNeverShowsTheSecretKey() {
        let configuration = YooKassaConfiguration(shopID: "506751", secretKey: "live_very-secret")
        #expect(!String(describing: configuration).contains("very-secret"))
        #expect(!String(reflecting: configuration).contains("very-secret"))
        #expect(configuration.apiBaseURL == "https://api.yookassa.ru/v3")
    }
}
