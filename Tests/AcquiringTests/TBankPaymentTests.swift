import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Crypto
import Foundation
import Kernel
import NIOCore
import NIOHTTP1
import Testing

@Suite struct TBankPaymentTests {
    @Test func aPaymentWithAReceiptGoesThroughThePageAndSucceeds() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.provider.createPayment(request)
        #expect(created.status == .pending)
        #expect(created.paymentID == request.paymentID)
        #expect(created.amount == .rub(500_00))
        guard case .redirect(let url) = created.confirmation else {
            Issue.record("no payment page")
            return
        }
        #expect(try await fixture.press("pay", on: url) == 303)
        let found = try await fixture.provider.findPayment(TBankFixture.reference(request, created))
        #expect(found?.status == .succeeded)
        #expect(found?.providerPaymentID == created.providerPaymentID)
    }

    @Test func aDeclineOnThePageCancelsThePayment() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.provider.createPayment(request)
        guard case .redirect(let url) = created.confirmation else {
            Issue.record("no payment page")
            return
        }
        _ = try await fixture.press("decline", on: url)
        let found = try await fixture.provider.findPayment(TBankFixture.reference(request, created))
        #expect(found?.status == .canceled)
        #expect(found?.failureReason == "REJECTED")
    }

    @Test func theSameCreationTwiceIsOnePayment() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let first = try await fixture.provider.createPayment(request)
        let second = try await fixture.provider.createPayment(request)
        #expect(first.providerPaymentID == second.providerPaymentID)
        #expect(await fixture.standin.control.calls["Init"] == 1)
    }

    @Test func aReceiptThatDoesNotAddUpIsRefusedBeforeAnyRequest() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request(kopecks: 500_00, receipt: TBankFixture.receipt(400_00))
        await #expect(throws: ProviderError.self) { try await fixture.provider.createPayment(request) }
        #expect(await fixture.standin.control.calls["Init"] == nil)
    }

    @Test func theStandinRefusesAReceiptWhoseItemsDoNotAddUpWithT_BanksError() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let item: [String: Any] = [
            "Name": "Интернет", "Price": 40000, "Quantity": 1, "Amount": 40000, "Tax": "vat22", "PaymentMethod": "full_payment",
            "PaymentObject": "service",
        ]
        let answer = try await Self.signedCall(
            fixture, "Init",
            [
                "Amount": 50000, "OrderId": "order-receipt", "Description": "Пополнение",
                "Receipt": ["Email": "a@example.ru", "Taxation": "osn", "Items": [item]],
            ])
        #expect(answer["Success"] as? Bool == false)
        #expect(answer["ErrorCode"] as? String == "334")
    }

    @Test func everyVATRateAndKindOfLineGoesOnTheWireInT_BanksCodes() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let lines = FiscalVAT.allCases.enumerated().map { index, vat in
            FiscalItem(
                description: "Строка \(vat.rawValue)", quantity: Int64(index % 3 + 1), price: .rub(100_00), vat: vat,
                subject: FiscalPaymentSubject.allCases[index % FiscalPaymentSubject.allCases.count],
                mode: FiscalPaymentMode.allCases[index % FiscalPaymentMode.allCases.count])
        }
        let total = lines.reduce(Int64(0)) { $0 + ($1.amount?.minorUnits ?? 0) }
        for taxSystem in FiscalTaxSystem.allCases {
            let receipt = FiscalReceipt(customer: FiscalCustomer(email: nil, phone: "+79001234567"), items: lines, taxSystem: taxSystem)
            let created = try await fixture.provider.createPayment(TBankFixture.request(kopecks: total, receipt: receipt))
            #expect(created.status == .pending)
        }
        #expect(await fixture.standin.control.calls["Init"] == FiscalTaxSystem.allCases.count)
    }

    @Test func aRefusalOfTheStandinIsARefusal() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request(kopecks: 50)
        await #expect(throws: ProviderError.refused(code: "251", message: "Неверная сумма. Сумма должна быть больше или равна 100 копеек")) {
            try await fixture.provider.createPayment(request)
        }
    }

    @Test func aWrongPasswordIsRefusedAsABadToken() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let provider = TBankFixture.provider(baseURL: "\(fixture.server.baseURL)/v2", password: "not-the-password")
        do {
            _ = try await provider.createPayment(TBankFixture.request())
            Issue.record("a bad token was accepted")
        } catch {
            guard case .refused(let code, _) = error else {
                Issue.record("expected a refusal, got \(error)")
                return
            }
            #expect(code == "204")
        }
    }

    @Test func anUnpaidPaymentIsCancelled() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.provider.createPayment(request)
        let cancelled = try await fixture.provider.cancelPayment(TBankFixture.reference(request, created), idempotencyKey: "cancel-1")
        #expect(cancelled.status == .canceled)
        #expect(try await fixture.provider.findPayment(TBankFixture.reference(request, created))?.status == .canceled)
    }

    @Test func cancellingAPaidPaymentRefundsNothing() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.paid(request)
        let answer = try await fixture.provider.cancelPayment(TBankFixture.reference(request, created), idempotencyKey: "cancel-2")
        #expect(answer.status == .succeeded)
        #expect(await fixture.standin.control.calls["Cancel"] == nil)
    }

    @Test func anUnknownPaymentIsNotFound() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let byOurs = ProviderPaymentReference(paymentID: "never-made", providerPaymentID: nil, idempotencyKey: "k", createdAt: Date())
        #expect(try await fixture.provider.findPayment(byOurs) == nil)
        let byTheirs = ProviderPaymentReference(paymentID: "never-made", providerPaymentID: "999", idempotencyKey: "k", createdAt: Date())
        #expect(try await fixture.provider.findPayment(byTheirs) == nil)
    }

    @Test func sbpAnswersAnNSPKLinkThatTheBankAppPays() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request(source: .method(.sbp))
        let created = try await fixture.provider.createPayment(request)
        guard case .qrCode(let payload) = created.confirmation else {
            Issue.record("no QR payload: \(String(describing: created.confirmation))")
            return
        }
        #expect(payload.hasPrefix("https://qr.nspk.ru/"))
        _ = try await fixture.press("pay", on: fixture.standin.paymentPageURL(paymentID: created.providerPaymentID))
        #expect(try await fixture.provider.findPayment(TBankFixture.reference(request, created))?.status == .succeeded)
    }

    @Test func refundsAreMadeOncePerKeyAndFound() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request(kopecks: 500_00)
        let payment = TBankFixture.reference(request, try await fixture.paid(request))
        let refundRequest = ProviderRefundRequest(
            refundID: "refund-1", payment: payment, idempotencyKey: "refund-key-1", amount: .rub(200_00), receipt: TBankFixture.receipt(200_00))
        let reference = ProviderRefundReference(
            refundID: "refund-1", providerRefundID: nil, payment: payment, idempotencyKey: "refund-key-1", amount: .rub(200_00))
        #expect(try await fixture.provider.findRefund(reference) == nil)
        let refund = try await fixture.provider.createRefund(refundRequest)
        #expect(refund.status == .succeeded)
        #expect(refund.amount == .rub(200_00))
        let again = try await fixture.provider.createRefund(refundRequest)
        #expect(again.providerRefundID == refund.providerRefundID)
        #expect(try await fixture.provider.findRefund(reference)?.status == .succeeded)
        // 300,00 ₽ are left: a second refund of 400,00 ₽ is refused, which it would not be had the first been made twice.
        let tooMuch = ProviderRefundRequest(
            refundID: "refund-2", payment: payment, idempotencyKey: "refund-key-2", amount: .rub(400_00), receipt: nil)
        await #expect(throws: ProviderError.self) { try await fixture.provider.createRefund(tooMuch) }
        let rest = ProviderRefundRequest(refundID: "refund-3", payment: payment, idempotencyKey: "refund-key-3", amount: .rub(300_00), receipt: nil)
        #expect(try await fixture.provider.createRefund(rest).status == .succeeded)
    }

    @Test func aRefundReceiptThatDoesNotMatchIsRefusedByTheStandin() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.paid(request)
        let answer = try await Self.signedCall(
            fixture, "Cancel",
            [
                "PaymentId": created.providerPaymentID, "Amount": 10000,
                "Receipt": [
                    "Phone": "+79001234567", "Taxation": "osn",
                    "Items": [
                        [
                            "Name": "Возврат", "Price": 5000, "Quantity": 1, "Amount": 5000, "Tax": "vat22", "PaymentMethod": "full_payment",
                            "PaymentObject": "service",
                        ] as [String: Any]
                    ],
                ],
            ])
        #expect(answer["ErrorCode"] as? String == "334")
    }

    @Test func theConfigurationNeverShowsThePassword() {
        let configuration = TBankConfiguration(terminalKey: "T1", password: "s3cr3t-password")
        #expect(!configuration.description.contains("s3cr3t"))
        #expect(configuration.baseURL == "https://securepay.tinkoff.ru/v2")
    }

    @Test func operationsAreNotListedByT_Bank() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        await #expect(throws: ProviderError.self) { try await fixture.provider.operations(in: DateInterval(start: Date(), duration: 86_400)) }
    }

    @Test func twoHundredConcurrentClientsEachMakeTheirPaymentOnce() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        var configuration = ProviderHTTPClient.configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 200
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let provider = TBankProvider(
            configuration: TBankConfiguration(
                terminalKey: TBankFixture.terminalKey, password: TBankFixture.password, baseURL: "\(fixture.server.baseURL)/v2"),
            client: client)
        let requests = (0..<200).map { TBankFixture.request("bulk-\($0)") }
        let made = await withTaskGroup(of: Result<String, ProviderError>.self) { group in
            for request in requests {
                group.addTask {
                    do throws(ProviderError) {
                        let first = try await provider.createPayment(request)
                        let again = try await provider.createPayment(request)
                        return first.providerPaymentID == again.providerPaymentID
                            ? .success(first.providerPaymentID) : .failure(.invalidMessage("twice"))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: [Result<String, ProviderError>]()) { $0.append($1) }
        }
        try await client.shutdown()
        #expect(Set(made.compactMap { try? $0.get() }).count == 200)
        #expect(await fixture.standin.control.calls["Init"] == 200)
    }

    /// Sends `fields` to the stand-in's `method`, signed as T-Bank's documentation says (written here from the docs,
    /// not through the adapter); answers the JSON object.
    static func signedCall(_ fixture: TBankFixture, _ method: String, _ fields: [String: Any]) async throws -> [String: Any] {
        var body = fields
        body["TerminalKey"] = TBankFixture.terminalKey
        var pairs = body.compactMapValues { value -> String? in
            if value is [String: Any] || value is [Any] { return nil }
            return "\(value)"
        }
        pairs["Password"] = TBankFixture.password
        let joined = pairs.keys.sorted().map { pairs[$0]! }.joined()
        body["Token"] = SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
        var request = HTTPClientRequest(url: "\(fixture.server.baseURL)/v2/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }
}
