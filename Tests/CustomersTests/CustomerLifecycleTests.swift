import Contracts
import Customers
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Registering customers and contracts", .serialized)
struct CustomerLifecycleTests {
    @Test(arguments: DatabaseKind.available)
    func createdCustomerReadsBackByIdAndUser(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input(name: " Петрова  Анна Сергеевна", phone: "8 (916) 765-43-21", email: " Anna.Petrova@Mail.ru ")
            let created = try await h.create(input)
            #expect(created.fullName == "Петрова Анна Сергеевна")
            #expect(created.phone == "+79167654321")
            #expect(created.email == "Anna.Petrova@Mail.ru")
            #expect(created.status == .active)
            #expect(created.locale == "ru")
            #expect(created.contracts.count == 1)
            let contract = try #require(created.contracts.first)
            #expect(contract.number == "LM-2026-000001")
            #expect(contract.signedOn == LocalDate(year: 2026, month: 9, day: 21))
            #expect(contract.address.apartment == "45")
            #expect(try await h.service.customer(id: created.id) == created)
            #expect(try await h.service.customer(userID: input.userId) == created)
            let types = try await h.outboxTypes()
            #expect(types == [CustomerCreated.type])
            let event = try JSONDecoder().decode(CustomerCreated.self, from: Data(try await h.outboxPayloads(CustomerCreated.type)[0].utf8))
            #expect(
                event
                    == CustomerCreated(
                        customerId: created.id, userId: input.userId, contractId: contract.id, contractNumber: contract.number,
                        email: created.email, phone: created.phone))
            await #expect(throws: CustomerError.notFound) { _ = try await h.service.customer(id: UUID().uuidString) }
            await #expect(throws: CustomerError.notFound) { _ = try await h.service.customer(userID: UUID().uuidString) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func oneCustomerPerUserEvenWhenRequestsRace(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            _ = try await h.create(input)
            await #expect(throws: CustomerError.alreadyRegistered) { _ = try await h.create(input) }
            let racing = CustomersHarness.input()
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await h.create(racing)
                            return true
                        } catch CustomerError.alreadyRegistered {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let rows = try await h.database.query("SELECT COUNT(*) AS n FROM customers WHERE user_id = $1", racing.userId)
            #expect(try rows.first?.int("n") == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func fiftyConcurrentRegistrationsGetFiftyDistinctNumbers(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask { try await h.create(CustomersHarness.input(email: "c\(index)@example.com")).contracts[0].number }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(numbers).count == 50)
            #expect(Set(numbers) == Set((1...50).map { String(format: "LM-2026-%06d", $0) }))
            let counter = try await h.database.first("SELECT last_value FROM contract_counters WHERE scope = $1", "2026")
            #expect(try counter?.int("last_value") == 50)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func numbersFollowTheConfiguredPatternAndRestartEachYear(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind, configure: { $0.contractNumberPattern = try! ContractNumberPattern("{yy}/{seq:4}") }) { h in
            var input = CustomersHarness.input()
            input.signedOn = LocalDate(year: 2025, month: 12, day: 31)
            var number = try await h.create(input).contracts[0].number
            #expect(number == "25/0001")
            input = CustomersHarness.input()
            input.signedOn = LocalDate(year: 2026, month: 1, day: 1)
            number = try await h.create(input).contracts[0].number
            #expect(number == "26/0001")
            input = CustomersHarness.input()
            input.signedOn = LocalDate(year: 2026, month: 5, day: 1)
            number = try await h.create(input).contracts[0].number
            #expect(number == "26/0002")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func invalidRegistrationsNameTheFieldAndWriteNothing(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let cases: [(NewCustomer, String)] = [
                (CustomersHarness.input(phone: "12345"), "phone"),
                (CustomersHarness.input(email: "not-an-email"), "email"),
                (CustomersHarness.input(name: " "), "fullName"),
                (CustomersHarness.input(address: PostalAddress(city: "Москва", street: "", building: "1")), "address.street"),
                (
                    NewCustomer(
                        userId: "u", fullName: "Иванов Иван", phone: nil, email: nil, locale: "fr",
                        address: PostalAddress(city: "Москва", street: "ул. Арбат", building: "1")), "locale"
                ),
                (
                    NewCustomer(
                        userId: " ", fullName: "Иванов Иван", phone: nil, email: nil,
                        address: PostalAddress(city: "Москва", street: "ул. Арбат", building: "1")), "userId"
                ),
            ]
            for (input, field) in cases {
                let error = await customerError { _ = try await h.create(input) }
                #expect(invalidField(error) == field)
            }
            let events = try await h.outboxTypes()
            #expect(events.isEmpty)
            let rows = try await h.database.first("SELECT COUNT(*) AS n FROM customers")?.int("n")
            #expect(rows == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func contactsAreOptional(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let created = try await h.create(CustomersHarness.input(phone: nil, email: "  "))
            #expect(created.phone == nil)
            #expect(created.email == nil)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anotherContractGetsTheNextNumberAndAnEvent(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let customer = try await h.create()
            let contract = try await h.service.addContract(
                customerID: customer.id, address: PostalAddress(city: "Казань", street: "ул. Баумана", building: "7А"), by: "operator-2")
            #expect(contract.number == "LM-2026-000002")
            #expect(contract.customerId == customer.id)
            #expect(contract.address.apartment == nil)
            #expect(try await h.service.customer(id: customer.id).contracts.map(\.number) == ["LM-2026-000001", "LM-2026-000002"])
            #expect(try await h.outboxTypes() == [CustomerCreated.type, CustomerContractAdded.type])
            await #expect(throws: CustomerError.notFound) {
                _ = try await h.service.addContract(
                    customerID: UUID().uuidString, address: PostalAddress(city: "Казань", street: "ул. Баумана", building: "1"), by: "operator-2")
            }
            let error = await customerError {
                _ = try await h.service.addContract(
                    customerID: customer.id, address: PostalAddress(city: "Казань", street: "ул. Баумана", building: " "), by: "operator-2")
            }
            #expect(invalidField(error) == "address.building")
        }
    }
}
