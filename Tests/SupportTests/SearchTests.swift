import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("Full-text search over subjects and messages")
struct SearchTests {
    @Test(arguments: DatabaseKind.available)
    func operatorsFindTicketsByWordsInSubjectsMessagesAndNotes(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let router = try await h.open("Роутер мигает", text: "Горит красная лампочка", category: .equipment)
            let speed = try await h.open("Скорость", text: "Вечером всё медленно", category: .slowSpeed)
            let english = try await h.open("Router reboots", text: "It restarts every hour", category: .equipment)
            _ = try await h.service.addMessage(
                ticketID: speed.summary.id, NewTicketMessage(text: "Похоже на перегрузку узла", isInternal: true), viewer: .staff("anna"))
            func find(_ text: String) async throws -> Set<String> {
                Set(
                    try await h.service.tickets(matching: TicketFilter(queue: .all, text: text), operatorID: "anna", page: PageRequest()).items.map(
                        \.id))
            }
            #expect(try await find("роутер") == [router.summary.id])
            #expect(try await find("лампочка") == [router.summary.id])
            #expect(try await find("узла") == [speed.summary.id], "internal notes are searched for operators")
            #expect(try await find("router") == [english.summary.id])
            #expect(try await find("красная лампочка") == [router.summary.id])
            #expect(try await find("роутер скорость").isEmpty, "every word must be there")
            if kind == .postgres {
                // Stems on PostgreSQL: another form of the word finds it.
                #expect(try await find("роутера") == [router.summary.id])
                #expect(try await find("reboot") == [english.summary.id])
            }
            // Search syntax from the operator is taken as words, never as a query language.
            for hostile in [#"роутер" OR "скорость"#, "NEAR(a b)", "*", "\"", "'; DROP TABLE support_tickets; --", "a:b & !c"] {
                _ = try await find(hostile)
            }
            #expect(try await find("  ").count == 3, "blank is no search")
            await #expect(throws: SupportError.invalidField(field: "text", reason: "at most 100 characters")) {
                try await find(String(repeating: "я", count: 101))
            }
        }
    }
}
