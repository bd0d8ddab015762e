import SMS
import Testing

@Suite struct SandboxSMSProviderTests {
    @Test func everyRecipientIsRecordedAndDelivered() async throws {
        let sandbox = SandboxSMSProvider()
        let numbers = [try PhoneNumber("+79255070602"), try PhoneNumber("+79161234567")]
        let outcomes = try await sandbox.send(SMSMessage(text: "Код: 4821", to: numbers, sender: "LastMile"))
        #expect(outcomes.map(\.number) == numbers)
        #expect(sandbox.records.map(\.number) == numbers)
        #expect(sandbox.records.allSatisfy { $0.text == "Код: 4821" && $0.sender == "LastMile" && $0.segments.count == 1 })
        guard case .accepted(let id, _, let segments) = outcomes[0].outcome else {
            Issue.record("not accepted")
            return
        }
        #expect(segments == 1)
        #expect(try await sandbox.status(ofMessage: id) == .delivered(costKopecks: 0))
        #expect(try await sandbox.status(ofMessage: "nope") == .unknown)
        await #expect(throws: SMSError.self) { try await sandbox.send(SMSMessage(text: "", to: numbers)) }
    }

    @Test func itKeepsOnlyTheLastMessages() async throws {
        let sandbox = SandboxSMSProvider(capacity: 2)
        for text in ["1", "2", "3"] { _ = try await sandbox.send(SMSMessage(text: text, to: [try PhoneNumber("+79255070602")])) }
        #expect(sandbox.records.map(\.text) == ["2", "3"])
    }
}
