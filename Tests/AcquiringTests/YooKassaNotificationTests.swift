import AcquirerStandins
import Acquiring
import Foundation
import Kernel
import Testing

@Suite struct YooKassaNotificationTests {
    @Test func aPaidPaymentsNotificationNamesItAndComesTwiceWhenTold() async throws {
        let rig = try await YooKassaRig.start()
        var behaviour = StandinBehaviour()
        behaviour.duplicateNotifications = true
        await rig.standin.control.set(behaviour)
        let request = YooKassaRig.request(150_00)
        let created = try await rig.provider.createPayment(request)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))

        let received = await rig.standin.receivedNotifications()
        #expect(received.count == 2)
        for body in received {
            let notice = try rig.provider.notification(ProviderNotification(body: body, headers: ["content-type": "application/json"]))
            #expect(notice.providerPaymentID == created.providerPaymentID)
            #expect(notice.paymentID == request.paymentID)
            #expect(notice.providerRefundID == nil)
            #expect(notice.acknowledgement.isEmpty)
        }
        await rig.stop()
    }

    @Test func aRefundsNotificationNamesTheRefundAndItsPayment() async throws {
        let rig = try await YooKassaRig.start()
        let request = YooKassaRig.request(150_00)
        let created = try await rig.provider.createPayment(request)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        let refund = try await rig.provider.createRefund(
            ProviderRefundRequest(
                refundID: "r1", payment: YooKassaRig.reference(request, providerID: created.providerPaymentID), idempotencyKey: "r1",
                amount: .rub(50_00), receipt: YooKassaRig.receipt(50_00)))

        let received = await rig.standin.receivedNotifications()
        #expect(received.count == 2)
        let notice = try rig.provider.notification(ProviderNotification(body: try #require(received.last), headers: [:]))
        #expect(notice.providerRefundID == refund.providerRefundID)
        #expect(notice.providerPaymentID == created.providerPaymentID)
        await rig.stop()
    }

    @Test func aDeclinedAndACancelledPaymentAreNotifiedToo() async throws {
        let rig = try await YooKassaRig.start()
        let created = try await rig.provider.createPayment(YooKassaRig.request(10_00))
        _ = try await YooKassaRig.act("decline", on: try #require(YooKassaRig.pageURL(created)))
        let received = await rig.standin.receivedNotifications()
        let body = try #require(received.first)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])["event"] as? String
        #expect(event == "payment.canceled")
        #expect(try rig.provider.notification(ProviderNotification(body: body, headers: [:])).providerPaymentID == created.providerPaymentID)
        await rig.stop()
    }

    @Test func whatIsNotANotificationOfOursIsAnInvalidMessage() throws {
        let provider = YooKassaRig.provider("http://127.0.0.1:1/v3")
        let bodies = [
            "not json",
            #"{"type":"notification","event":"payout.succeeded","object":{"id":"po-1"}}"#,
            #"{"type":"notification","event":"payment.succeeded","object":{}}"#,
            #"{"type":"something","event":"payment.succeeded","object":{"id":"p-1"}}"#,
            #"{"type":"notification","event":"refund.succeeded","object":{"id":"r-1"}}"#,
        ]
        for body in bodies {
            #expect(throws: ProviderError.self) { try provider.notification(ProviderNotification(body: Array(body.utf8), headers: [:])) }
        }
        let waiting = #"{"type":"notification","event":"payment.waiting_for_capture","object":{"id":"p-2","metadata":{"payment_id":"ours"}}}"#
        let notice = try provider.notification(ProviderNotification(body: Array(waiting.utf8), headers: [:]))
        #expect(notice.providerPaymentID == "p-2")
        #expect(notice.paymentID == "ours")
    }
}
