import Contracts
import Foundation
import ServerKit
import Support
import Testing

/// Support's internal routes: a service token is required, and a call made for a customer reaches only that
/// customer's tickets, as that customer.
@Suite("Support's internal API security")
struct SupportInternalSecurityTests {
    @Test func aCustomersCallStaysWithTheirOwnTicketsAndSeesNoNotes() async throws {
        try await SupportEndpoint.with(.remote) { endpoint in
            let baseURL = try #require(endpoint.baseURL)
            let a = SupportEndpoint.requester("a")
            let ticket = try await endpoint.service.createTicket(NewTicket(subject: "A", text: "a", category: .other), requester: a)
            _ = try await endpoint.service.addMessage(
                ticketID: ticket.summary.id, NewTicketMessage(text: "секрет", isInternal: true), viewer: .staff("op"))
            let ticketPath = baseURL + SupportOperations.ticket.path
            let none = try await InternalAPISecurityTests.post(ticketPath, token: nil, body: "{}")
            #expect(none.status == 401)
            let keys = try await ServedEndpoint.keys.keys()
            let asA = try await keys.sign(
                issuer: "gateway", audience: "support", actingUser: ActingUser(userID: a.userId, role: .customer, sessionID: "s"))
            let own = try await InternalAPISecurityTests.post(
                ticketPath, token: asA, body: #"{"id":"\#(ticket.summary.id)","viewer":{"customer":{"userID":"\#(a.userId)"}}}"#)
            #expect(own.status == 200)
            #expect(!own.body.contains("секрет"))
            // As staff, or as another customer, with A's claim: not found.
            for viewer in [#"{"staff":{"_0":"op"}}"#, #"{"customer":{"userID":"u-b"}}"#] {
                let forged = try await InternalAPISecurityTests.post(
                    ticketPath, token: asA, body: #"{"id":"\#(ticket.summary.id)","viewer":\#(viewer)}"#)
                #expect(forged.status == 404, "\(viewer)")
                #expect(!forged.body.contains("секрет"))
            }
            let queue = try await InternalAPISecurityTests.post(
                baseURL + SupportOperations.queue.path, token: asA,
                body: #"{"filter":{"queue":"all"},"operatorID":"op","page":{"limit":10}}"#)
            #expect(queue.status == 404, "operators' queues are not a customer's")
        }
    }
}
