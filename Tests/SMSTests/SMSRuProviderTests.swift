import AsyncHTTPClient
import ChannelStandins
import Foundation
import SMS
import Testing

/// The SMS.ru adapter against the SMS.ru stand-in (ChannelStandins), which answers as SMS.ru's documentation says.
@Suite struct SMSRuProviderTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: SMSRuProvider.clientConfiguration())
    let ivan = try! PhoneNumber("+7 925 507-06-02")
    let maria = try! PhoneNumber("8 916 123 45 67")

    /// Runs `body` with a stand-in for the account `secret-api-id` and a provider for it.
    func withStandin(
        apiID: String = "secret-api-id", timeout: Duration = .seconds(10), _ body: (SMSRuStandin, SMSRuProvider) async throws -> Void
    ) async throws {
        let standin = SMSRuStandin(apiID: "secret-api-id", approvedSenders: ["LastMile"])
        let server = try await ChannelStandinServer.start([standin])
        let provider = SMSRuProvider(apiID: apiID, baseURL: server.baseURL, client: Self.client, timeout: timeout)
        do {
            try await body(standin, provider)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func aTextToTwoNumbersIsAcceptedForEachAndItsStatusIsDelivered() async throws {
        try await withStandin { (standin, provider) async throws in
            let outcomes = try await provider.send(SMSMessage(text: "Ваш счёт за декабрь: 650 ₽ + 10% & бонус=0", to: [ivan, maria]))
            #expect(outcomes.map(\.number) == [ivan, maria])
            let ids = outcomes.compactMap { outcome -> String? in
                guard case .accepted(let id, _, _) = outcome.outcome else { return nil }
                return id
            }
            #expect(ids.count == 2 && Set(ids).count == 2)
            #expect(standin.messages.map(\.number) == ["79255070602", "79161234567"])
            #expect(standin.messages.allSatisfy { $0.text == "Ваш счёт за декабрь: 650 ₽ + 10% & бонус=0" && $0.sender == nil })
            let request = try #require(standin.requests.first)
            #expect(request.httpMethod == "POST" && request.authorized && request.parameters["json"] == "1")
            #expect(request.parameters["api_id"] == nil)
            #expect(try await provider.status(ofMessage: ids[0]) == .delivered(costKopecks: 50))
            #expect(try await provider.status(ofMessage: "000000-999999") == .unknown)
        }
    }

    @Test func aTwoSegmentTextCostsTwice() async throws {
        try await withStandin { (standin, provider) async throws in
            let outcomes = try await provider.send(SMSMessage(text: String(repeating: "я", count: 71), to: [ivan], sender: "LastMile"))
            guard case .accepted(let id, _, _) = outcomes.first?.outcome else {
                Issue.record("not accepted: \(outcomes)")
                return
            }
            #expect(try await provider.status(ofMessage: id) == .delivered(costKopecks: 100))
            #expect(standin.messages.first?.sender == "LastMile")
            #expect(standin.balanceKopecks == 100_000 - 100)
            #expect(try await provider.balanceKopecks() == 100_000 - 100)
        }
    }

    @Test func inTestModeNothingIsCharged() async throws {
        let standin = SMSRuStandin(apiID: "secret-api-id")
        let server = try await ChannelStandinServer.start([standin])
        let provider = SMSRuProvider(apiID: "secret-api-id", baseURL: server.baseURL, client: Self.client, testMode: true)
        let outcomes = try await provider.send(SMSMessage(text: "x", to: [ivan]))
        await server.stop()
        guard case .accepted = outcomes.first?.outcome else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(standin.requests.first?.parameters["test"] == "1")
        #expect(standin.messages.first?.test == true)
        #expect(standin.balanceKopecks == 100_000)
    }

    @Test func aWrongAPIIDIsRefusedForEveryNumber() async throws {
        try await withStandin(apiID: "wrong") { (standin, provider) async throws in
            let outcomes = try await provider.send(SMSMessage(text: "x", to: [ivan, maria]))
            #expect(
                outcomes.map(\.outcome) == [
                    .refused(code: "200", reason: "Неправильный api_id"), .refused(code: "200", reason: "Неправильный api_id"),
                ])
            #expect(standin.messages.isEmpty)
            #expect(standin.requests.first?.authorized == false)
            await #expect(throws: SMSError.self) { try await provider.balanceKopecks() }
        }
    }

    @Test func aBlockedNumberIsRefusedAndTheOtherAccepted() async throws {
        try await withStandin { (standin, provider) async throws in
            standin.block("79161234567")
            let outcomes = try await provider.send(SMSMessage(text: "x", to: [ivan, maria]))
            guard case .accepted = outcomes[0].outcome, case .refused(code: "207", _) = outcomes[1].outcome else {
                Issue.record("\(outcomes)")
                return
            }
            #expect(standin.messages.map(\.number) == ["79255070602"])
        }
    }

    @Test func anEmptyBalanceIsRetriedLaterAndAnUnapprovedSenderRefused() async throws {
        try await withStandin { (standin, provider) async throws in
            standin.setBalance(kopecks: 10)
            let poor = try await provider.send(SMSMessage(text: "x", to: [ivan]))
            guard case .retryLater(code: "201", _, _) = poor.first?.outcome else {
                Issue.record("\(poor)")
                return
            }
            standin.setBalance(kopecks: 10_000)
            let unapproved = try await provider.send(SMSMessage(text: "x", to: [ivan], sender: "Mallory"))
            guard case .refused(code: "204", _) = unapproved.first?.outcome else {
                Issue.record("\(unapproved)")
                return
            }
            #expect(standin.messages.isEmpty)
        }
    }

    @Test func aFailingGatewayIsRetriedLater() async throws {
        try await withStandin { (standin, provider) async throws in
            standin.failNext(withHTTPStatuses: [503])
            let outcomes = try await provider.send(SMSMessage(text: "x", to: [ivan]))
            #expect(outcomes.first?.outcome == .retryLater(code: "http-503", reason: "HTTP 503", after: nil))
            #expect(standin.messages.isEmpty)
        }
    }

    @Test func tooManyRecipientsOrNoTextAreRefusedBeforeSending() async throws {
        try await withStandin { (standin, provider) async throws in
            let many = try (0..<101).map { try PhoneNumber("+7916\(String(format: "%07d", $0))") }
            await #expect(throws: SMSError.self) { try await provider.send(SMSMessage(text: "x", to: many)) }
            await #expect(throws: SMSError.self) { try await provider.send(SMSMessage(text: "", to: [ivan])) }
            await #expect(throws: SMSError.self) { try await provider.send(SMSMessage(text: "x", to: [])) }
            #expect(standin.requests.isEmpty)
        }
    }

    @Test func aHangingGatewayIsAnUnknownOutcomeWithinTheDeadline() async throws {
        let standin = SMSRuStandin(apiID: "secret-api-id")
        let server = try await ChannelStandinServer.start([standin])
        standin.delayAnswers(by: .seconds(3600))
        // Long enough for the request to leave and be read even on a loaded machine; the gateway never answers.
        let provider = SMSRuProvider(apiID: "secret-api-id", baseURL: server.baseURL, client: Self.client, timeout: .seconds(2))
        await #expect {
            _ = try await provider.send(SMSMessage(text: "x", to: [ivan]))
        } throws: { error in
            guard case .outcomeUnknown(let reason) = error as? SMSError else { return false }
            return !reason.contains("secret-api-id")
        }
        #expect(standin.requests.count == 1)
        // The hung handler sleeps on, so the server is left to the end of the test process rather than stopped.
    }

    @Test func theAPIIDIsInNoDescription() {
        let provider = SMSRuProvider(apiID: "secret-api-id", client: Self.client)
        var dumped = ""
        dump(provider, to: &dumped)
        for text in ["\(provider)", String(reflecting: provider), dumped] { #expect(!text.contains("secret-api-id"), "\(text)") }
    }

    @Test func aClosedPortIsNeverSent() async throws {
        let provider = SMSRuProvider(apiID: "secret-api-id", baseURL: "http://127.0.0.1:1", client: Self.client)
        await #expect {
            _ = try await provider.send(SMSMessage(text: "x", to: [ivan]))
        } throws: { error in
            guard case .unreachable(let reason) = error as? SMSError else { return false }
            return !reason.contains("secret-api-id")
        }
    }
}
