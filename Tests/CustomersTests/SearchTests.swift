import Contracts
import Customers
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Operator search", .serialized)
struct SearchTests {
    /// Known customers among a few hundred generated ones.
    static func populated(_ h: CustomersHarness) async throws -> (anna: Customer, oleg: Customer) {
        try await DemoLoader(database: h.database).load(count: 300, seed: 7, batchSize: 120)
        let anna = try await h.create(
            CustomersHarness.input(
                name: "Ёлкина Анна Сергеевна", phone: "+7 999 000-11-22", email: "Anna.Yolkina@example.org",
                address: PostalAddress(city: "Казань", street: "ул. Чистопольская", building: "12к2", apartment: "301")))
        let oleg = try await h.create(
            CustomersHarness.input(
                name: "Ёлкин Олег Петрович", phone: "+7 999 000-33-44", email: "oleg@ёлкин.рф",
                address: PostalAddress(city: "Казань", street: "ул. Чистопольская", building: "12к2", apartment: "17")))
        return (anna, oleg)
    }

    func ids(_ h: CustomersHarness, _ text: String, status: CustomerStatus? = nil) async throws -> [String] {
        try await h.service.search(CustomerSearch(text: text, status: status), page: PageRequest(limit: 200)).items.map(\.id)
    }

    @Test(arguments: DatabaseKind.available)
    func eachKindOfKeyFindsTheCustomer(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let (anna, oleg) = try await Self.populated(h)
            #expect(try await ids(h, "елкина анна") == [anna.id])
            #expect(try await ids(h, "ЁЛКИН") == [oleg.id, anna.id], "name order: ёлкин before ёлкина")
            #expect(try await ids(h, "Ёлкина А.") == [anna.id])
            #expect(try await ids(h, "8 (999) 000-11-22") == [anna.id])
            #expect(try await ids(h, "+79990003344") == [oleg.id])
            #expect(try await ids(h, "1122") == [anna.id], "the last digits")
            #expect(try await Set(ids(h, "+7 999 000")) == [anna.id, oleg.id])
            #expect(try await ids(h, "anna.yolkina@EXAMPLE.org") == [anna.id])
            #expect(try await ids(h, "anna.yol") == [anna.id])
            #expect(try await ids(h, "oleg@ёлкин") == [oleg.id])
            #expect(try await ids(h, anna.contracts[0].number.lowercased()) == [anna.id])
            #expect(try await ids(h, "ул. Чистопольская, д. 12к2, кв. 301") == [anna.id])
            let building = try await ids(h, "Чистопольская 12к2")
            #expect(Set(building).isSuperset(of: [anna.id, oleg.id]))
            let nobody = try await ids(h, "Нетакихнет")
            #expect(nobody.isEmpty)
            let summary = try #require(try await h.service.search(CustomerSearch(text: "Ёлкина"), page: PageRequest()).items.first)
            #expect(
                summary
                    == CustomerSummary(
                        id: anna.id, fullName: "Ёлкина Анна Сергеевна", phone: "+79990001122", email: "Anna.Yolkina@example.org",
                        contractNumber: anna.contracts[0].number, address: "Казань, ул. Чистопольская, 12к2, кв. 301", status: .active))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func generatedCustomersAreFoundByTheirKeys(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            _ = try await Self.populated(h)
            for person in DemoCustomers.generate(count: 25, seed: 7, startingAt: 100) {
                let byEmail = try await ids(h, person.email)
                #expect(byEmail.count == 1)
                #expect(try await ids(h, person.phone) == byEmail)
                let byName = try await h.service.search(CustomerSearch(text: person.fullName), page: PageRequest(limit: 200)).items
                #expect(byName.contains { $0.id == byEmail[0] && $0.fullName == person.fullName })
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func pagesWalkEveryMatchOnceInNameOrder(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            _ = try await Self.populated(h)
            for text in ["Ко", "Ленин", "+7 999", "LM-20", "ale"] {
                let whole = try await walk(h, text, limit: 200)
                let paged = try await walk(h, text, limit: 7)
                #expect(!whole.isEmpty, "\(text)")
                #expect(paged == whole, "\(text)")
                #expect(Set(paged).count == paged.count, "\(text)")
            }
            #expect(try await walk(h, "LM-20", limit: 50).count == 302)
        }
    }

    /// Every hit of `text`, following cursors `limit` at a time.
    func walk(_ h: CustomersHarness, _ text: String, limit: Int) async throws -> [String] {
        var walked: [String] = []
        var page = PageRequest(limit: limit)
        repeat {
            let result = try await h.service.search(CustomerSearch(text: text), page: page)
            #expect(result.items.count <= limit)
            walked += result.items.map(\.id)
            page.cursor = result.nextCursor
        } while page.cursor != nil
        return walked
    }

    @Test(arguments: DatabaseKind.available)
    func statusFiltersAndBadInput(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let (anna, oleg) = try await Self.populated(h)
            _ = try await h.service.updateCustomer(id: oleg.id, changes: CustomerOperatorUpdate(status: .blocked), by: "op")
            #expect(try await ids(h, "Ёлкин", status: .blocked) == [oleg.id])
            #expect(try await ids(h, "Ёлкин", status: .active) == [anna.id])
            let short = await customerError { _ = try await h.service.search(CustomerSearch(text: " я "), page: PageRequest()) }
            #expect(invalidField(short) == "text")
            let cursor = await customerError {
                _ = try await h.service.search(CustomerSearch(text: "Ёлкин"), page: PageRequest(cursor: "not a cursor"))
            }
            #expect(invalidField(cursor) == "cursor")
        }
    }

    @Test func exactLookupsAreIndexHitsOnSQLite() async throws {
        try await CustomersHarness.with(.sqlite) { h in
            for (sql, index) in [
                ("SELECT id FROM customers WHERE phone = '+79161234567'", "customers_phone"),
                ("SELECT id FROM customers WHERE email_key = 'a@example.com'", "customers_email"),
                ("SELECT customer_id FROM contracts WHERE number >= 'LM-2026-000001' AND number < 'LM-2026-000002'", "contracts_number"),
                ("SELECT id FROM customers WHERE name_key >= 'ива' AND name_key < 'ивб' ORDER BY name_key, id LIMIT 51", "customers_name"),
                ("SELECT customer_id FROM contracts WHERE address_key >= 'ленина' AND address_key < 'ленинб' LIMIT 1000", "contracts_address"),
                ("SELECT id FROM customers WHERE phone_reversed >= '7654' AND phone_reversed < '7655' LIMIT 1000", "customers_phone_reversed"),
            ] {
                let plan = try await h.database.query("EXPLAIN QUERY PLAN " + sql, []).map { try $0.string("detail") }.joined(separator: "; ")
                #expect(plan.contains(index), "\(sql): \(plan)")
                #expect(!plan.contains("SCAN customers") && !plan.contains("SCAN contracts"), "\(sql): \(plan)")
            }
        }
    }
}
