import Contracts
import Customers
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Profile updates: the customer's allow-list and operators", .serialized)
struct ProfileUpdateTests {
    @Test(arguments: DatabaseKind.available)
    func customerChangesOnlyPhoneEmailAndLocale(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            let before = try await h.create(input)
            let after = try await h.service.updateOwnProfile(
                userID: input.userId, changes: CustomerSelfUpdate(phone: "8 903 111-22-33", email: "new@example.com", locale: "en"))
            #expect(after.phone == "+79031112233")
            #expect(after.email == "new@example.com")
            #expect(after.locale == "en")
            #expect(after.fullName == before.fullName)
            #expect(after.status == before.status)
            #expect(after.contracts == before.contracts)
            #expect(try await h.outboxTypes() == [CustomerCreated.type, CustomerUpdated.type])
            let event = try JSONDecoder().decode(CustomerUpdated.self, from: Data(try await h.outboxPayloads(CustomerUpdated.type)[0].utf8))
            #expect(event == CustomerUpdated(customerId: before.id, fields: ["phone", "email", "locale"], changedBy: input.userId))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func fieldsOutsideTheAllowListChangeNothing(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            let before = try await h.create(input)
            // What a client may send: members beyond phone, e-mail and locale have no place to land.
            let body = """
                {"fullName": "Хакеров Хакер", "status": "terminated", "userId": "someone-else", "id": "other",
                 "contracts": [], "balance": 1000000, "role": "admin", "locale": "en"}
                """
            let changes = try JSONDecoder().decode(CustomerSelfUpdate.self, from: Data(body.utf8))
            let after = try await h.service.updateOwnProfile(userID: input.userId, changes: changes)
            #expect(after.locale == "en")
            var expected = before
            expected.locale = "en"
            #expect(after == expected)
            #expect(try await h.service.customer(userID: input.userId) == expected)
            #expect(try await h.service.customer(id: before.id).userId == input.userId)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anInvalidValueNamesItsFieldAndChangesNothing(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            let before = try await h.create(input)
            let cases: [(CustomerSelfUpdate, String)] = [
                (CustomerSelfUpdate(phone: "+7 916", email: "ok@example.com"), "phone"),
                (CustomerSelfUpdate(phone: "+79030000000", email: "broken@"), "email"),
                (CustomerSelfUpdate(phone: "+79030000000", locale: "xx"), "locale"),
            ]
            for (changes, field) in cases {
                let error = await customerError { _ = try await h.service.updateOwnProfile(userID: input.userId, changes: changes) }
                #expect(invalidField(error) == field)
            }
            #expect(try await h.service.customer(id: before.id) == before)
            #expect(try await h.outboxTypes() == [CustomerCreated.type])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func emptyContactsClearAndUnchangedValuesWriteNoEvent(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            _ = try await h.create(input)
            let same = try await h.service.updateOwnProfile(
                userID: input.userId, changes: CustomerSelfUpdate(phone: "+7 916 123 45 67", locale: "ru"))
            #expect(same.phone == "+79161234567")
            #expect(try await h.outboxTypes() == [CustomerCreated.type])
            let cleared = try await h.service.updateOwnProfile(userID: input.userId, changes: CustomerSelfUpdate(phone: "", email: ""))
            #expect(cleared.phone == nil)
            #expect(cleared.email == nil)
            await #expect(throws: CustomerError.notFound) {
                _ = try await h.service.updateOwnProfile(userID: UUID().uuidString, changes: CustomerSelfUpdate(locale: "en"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func operatorsChangeNameAndStatus(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let before = try await h.create()
            h.clock.advance(by: 60)
            let after = try await h.service.updateCustomer(
                id: before.id, changes: CustomerOperatorUpdate(fullName: "Иванов  Иван Петрович", status: .blocked), by: "operator-7")
            #expect(after.fullName == "Иванов Иван Петрович")
            #expect(after.status == .blocked)
            let event = try JSONDecoder().decode(CustomerUpdated.self, from: Data(try await h.outboxPayloads(CustomerUpdated.type)[0].utf8))
            #expect(event.fields == ["fullName", "status"])
            #expect(event.changedBy == "operator-7")
            let timeline = try await h.service.timeline(customerID: before.id, page: PageRequest())
            #expect(timeline.items.first?.summary == "Изменено оператором: ФИО, статус «заблокирован»")
            #expect(timeline.items.first?.authorId == "operator-7")
            let error = await customerError {
                _ = try await h.service.updateCustomer(id: before.id, changes: CustomerOperatorUpdate(fullName: ""), by: "operator-7")
            }
            #expect(invalidField(error) == "fullName")
            await #expect(throws: CustomerError.notFound) {
                _ = try await h.service.updateCustomer(id: UUID().uuidString, changes: CustomerOperatorUpdate(status: .active), by: "operator-7")
            }
        }
    }
}
