import Auth
import Contracts
import Foundation
import Kernel
import TestSupport
import Testing

@Suite("A sign-in from a device the user has not used before is told to them")
struct NewDeviceSignInTests {
    @Test(arguments: DatabaseKind.available)
    func onlyAnotherDeviceAfterTheFirstMakesTheEvent(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            func signIn(_ device: String, ip: String = "198.51.100.7") async throws {
                _ = try await h.auth.login(email: user.email, password: AuthHarness.password, client: ClientInfo(ipAddress: ip, device: device))
            }
            try await signIn("Pixel 8")
            try await signIn("Pixel 8", ip: "203.0.113.9")
            #expect(try await h.outboxPayloads(NewDeviceSignIn.type).isEmpty, "the first device, then the same one from elsewhere")
            try await signIn("Firefox on Windows", ip: "203.0.113.50")
            try await signIn("FIREFOX ON WINDOWS")
            let events = try await h.outboxPayloads(NewDeviceSignIn.type)
            #expect(events.count == 1)
            let envelope = EventEnvelope(
                id: "e", type: NewDeviceSignIn.type, version: 1, occurredAt: Date(), payload: try #require(events.first), trace: nil)
            let event = try envelope.decode(NewDeviceSignIn.self)
            #expect(event.userId == user.id && event.device == "Firefox on Windows" && event.ipAddress == "203.0.113.50")
        }
    }
}
