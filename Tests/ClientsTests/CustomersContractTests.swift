import Clients
import Contracts
import Customers
import Foundation
import Kernel
import ServerKit
import Testing

/// ``CustomersAPI``'s contract, held by the local service and by the client over the internal API alike: the same
/// calls give the same answers and the same typed errors in both modes.
@Suite("Customers contract")
struct CustomersContractTests {
    static let tverskaya = PostalAddress(city: "Москва", street: "ул. Тверская", building: "12", apartment: "45")

    @Test("Customers: register, read by id and by user, one per user", arguments: Mode.allCases)
    func registration(mode: Mode) async throws {
        try await CustomersEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let input = CustomersEndpoint.newCustomer(name: " Петрова  Анна Сергеевна", phone: "8 (916) 765-43-21")
            let created = try await api.createCustomer(input, by: "op-1")
            #expect(created.fullName == "Петрова Анна Сергеевна")
            #expect(created.phone == "+79167654321")
            #expect(created.contracts.map(\.number) == ["LM-2026-000001"])
            #expect(try await api.customer(id: created.id) == created)
            #expect(try await api.customer(userID: input.userId) == created)
            await #expect(throws: CustomerError.alreadyRegistered) { try await api.createCustomer(input, by: nil) }
            await #expect(throws: CustomerError.notFound) { try await api.customer(id: "missing") }
            await #expect(throws: CustomerError.notFound) { try await api.customer(userID: "missing") }
            #expect(
                try await invalidCustomerField { _ = try await api.createCustomer(CustomersEndpoint.newCustomer(name: " "), by: nil) } == "fullName")
            #expect(
                try await invalidCustomerField { _ = try await api.createCustomer(CustomersEndpoint.newCustomer(phone: "12"), by: nil) } == "phone")
            let noStreet = PostalAddress(city: "Москва", street: "", building: "1")
            #expect(
                try await invalidCustomerField { _ = try await api.createCustomer(CustomersEndpoint.newCustomer(address: noStreet), by: nil) }
                    == "address.street")
        }
    }

    @Test("Profiles: a customer's own change and an operator's change", arguments: Mode.allCases)
    func profiles(mode: Mode) async throws {
        try await CustomersEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let input = CustomersEndpoint.newCustomer()
            let created = try await api.createCustomer(input, by: "op-1")
            let own = try await api.updateOwnProfile(userID: input.userId, changes: CustomerSelfUpdate(phone: "+7 916 000-11-22", locale: "en"))
            #expect(own.phone == "+79160001122" && own.locale == "en" && own.fullName == created.fullName)
            #expect(
                try await invalidCustomerField { _ = try await api.updateOwnProfile(userID: input.userId, changes: .init(email: "nope")) } == "email")
            await #expect(throws: CustomerError.notFound) { try await api.updateOwnProfile(userID: "missing", changes: .init(locale: "ru")) }
            let blocked = try await api.updateCustomer(
                id: created.id, changes: CustomerOperatorUpdate(fullName: "Иванов Пётр Иванович", status: .blocked), by: "op-1")
            #expect(blocked.status == .blocked && blocked.fullName == "Иванов Пётр Иванович" && blocked.phone == own.phone)
            #expect(
                try await invalidCustomerField { _ = try await api.updateCustomer(id: created.id, changes: .init(locale: "de"), by: "op-1") }
                    == "locale")
            await #expect(throws: CustomerError.notFound) { try await api.updateCustomer(id: "missing", changes: .init(status: .active), by: "op-1") }
            #expect(try await api.customer(id: created.id) == blocked)
        }
    }

    @Test("Contracts: a second address under the next number", arguments: Mode.allCases)
    func contracts(mode: Mode) async throws {
        try await CustomersEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let created = try await api.createCustomer(CustomersEndpoint.newCustomer(), by: "op-1")
            let dacha = PostalAddress(city: "Истра", street: "Садовая", building: "7А")
            let contract = try await api.addContract(customerID: created.id, address: dacha, by: "op-1")
            #expect(contract.customerId == created.id && contract.number == "LM-2026-000002" && contract.address == dacha && contract.isActive)
            #expect(try await api.customer(id: created.id).contracts.map(\.id) == created.contracts.map(\.id) + [contract.id])
            await #expect(throws: CustomerError.notFound) { try await api.addContract(customerID: "missing", address: dacha, by: "op-1") }
            let noBuilding = PostalAddress(city: "Истра", street: "Садовая", building: " ")
            #expect(
                try await invalidCustomerField { _ = try await api.addContract(customerID: created.id, address: noBuilding, by: "op-1") }
                    == "address.building")
        }
    }

    @Test("Search, timeline and notes", arguments: Mode.allCases)
    func searchAndTimeline(mode: Mode) async throws {
        try await CustomersEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let ivanov = try await api.createCustomer(CustomersEndpoint.newCustomer(email: "ivanov@example.com"), by: "op-1")
            let petrova = try await api.createCustomer(
                CustomersEndpoint.newCustomer(name: "Петрова Анна Сергеевна", phone: "+79167654321", email: "anna@example.com"), by: "op-1")
            let found = try await api.search(CustomerSearch(text: "Петрова"), page: PageRequest(limit: 10))
            #expect(found.items.map(\.id) == [petrova.id])
            #expect(found.items.first?.contractNumber == petrova.contracts[0].number)
            let byPhone = try await api.search(CustomerSearch(text: "+79161234567"), page: PageRequest(limit: 10))
            #expect(byPhone.items.map(\.id) == [ivanov.id])
            #expect(try await api.search(CustomerSearch(text: "Петрова", status: .blocked), page: PageRequest()).items.isEmpty)
            #expect(try await invalidCustomerField { _ = try await api.search(CustomerSearch(text: "a"), page: PageRequest()) } == "text")
            #expect(
                try await invalidCustomerField { _ = try await api.search(CustomerSearch(text: "Петрова"), page: PageRequest(cursor: "bogus")) }
                    == "cursor")

            endpoint.clock.advance(by: 60)
            let note = try await api.addNote(customerID: petrova.id, text: "Просит перезвонить вечером", by: "op-2")
            #expect(note.kind == .note && note.authorId == "op-2" && note.customerId == petrova.id)
            let first = try await api.timeline(customerID: petrova.id, page: PageRequest(limit: 1))
            #expect(first.items == [note])
            let rest = try await api.timeline(customerID: petrova.id, page: PageRequest(cursor: first.nextCursor, limit: 10))
            #expect(rest.items.map(\.kind) == [.profile])
            #expect(rest.nextCursor == nil)
            #expect(try await invalidCustomerField { _ = try await api.addNote(customerID: petrova.id, text: "  ", by: "op-2") } == "text")
            await #expect(throws: CustomerError.notFound) { try await api.addNote(customerID: "missing", text: "hello", by: "op-2") }
        }
    }

    @Test("A call made for a customer reaches only that customer, and no operator's operation")
    func actingCustomerStaysWithThemselves() async throws {
        try await CustomersEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let inputA = CustomersEndpoint.newCustomer(email: "a@example.com")
            let inputB = CustomersEndpoint.newCustomer(email: "b@example.com")
            let a = try await api.createCustomer(inputA, by: "op-1")
            let b = try await api.createCustomer(inputB, by: "op-1")
            let asA = ActingUser(userID: inputA.userId, role: .customer, sessionID: "s-a")
            try await RequestMetadata.$actingUser.withValue(asA) { () async throws -> Void in
                #expect(try await api.customer(userID: inputA.userId) == a)
                #expect(try await api.customer(id: a.id) == a)
                #expect(try await api.updateOwnProfile(userID: inputA.userId, changes: .init(locale: "en")).locale == "en")
                await #expect(throws: CustomerError.notFound) { try await api.customer(userID: inputB.userId) }
                await #expect(throws: CustomerError.notFound) { try await api.customer(id: b.id) }
                await #expect(throws: CustomerError.notFound) { try await api.updateOwnProfile(userID: inputB.userId, changes: .init(locale: "en")) }
                await #expect(throws: CustomerError.notFound) { try await api.createCustomer(CustomersEndpoint.newCustomer(), by: nil) }
                await #expect(throws: CustomerError.notFound) { try await api.updateCustomer(id: a.id, changes: .init(status: .active), by: "x") }
                await #expect(throws: CustomerError.notFound) { try await api.addContract(customerID: a.id, address: Self.tverskaya, by: "x") }
                await #expect(throws: CustomerError.notFound) { try await api.search(CustomerSearch(text: "Иванов"), page: PageRequest()) }
                await #expect(throws: CustomerError.notFound) { try await api.timeline(customerID: a.id, page: PageRequest()) }
                await #expect(throws: CustomerError.notFound) { try await api.addNote(customerID: a.id, text: "mine", by: "x") }
            }
            // Nothing the refused calls asked for happened.
            #expect(try await endpoint.service.customer(id: b.id) == b)
            #expect(try await endpoint.service.search(CustomerSearch(text: "Иванов"), page: PageRequest(limit: 10)).items.count == 2)
            #expect(try await endpoint.service.timeline(customerID: a.id, page: PageRequest(limit: 10)).items.allSatisfy { $0.kind != .note })

            let asOperator = ActingUser(userID: "op-7", role: .supportAgent, sessionID: "s-op")
            try await RequestMetadata.$actingUser.withValue(asOperator) { () async throws -> Void in
                #expect(try await api.customer(id: b.id) == b)
                #expect(try await api.search(CustomerSearch(text: "Иванов"), page: PageRequest(limit: 10)).items.count == 2)
            }
        }
    }
}
