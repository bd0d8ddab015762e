import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@testable import Customers

@Suite("Demo customers and the bulk loader", .serialized)
struct DemoDataTests {
    @Test func theSameSeedGivesTheSamePeople() {
        let first = DemoCustomers.generate(count: 500, seed: 42)
        #expect(first == DemoCustomers.generate(count: 500, seed: 42))
        #expect(Array(first[200..<300]) == DemoCustomers.generate(count: 100, seed: 42, startingAt: 200), "any slice is the same people")
        let other = DemoCustomers.generate(count: 500, seed: 43)
        #expect(zip(first, other).filter { $0.fullName == $1.fullName }.count < 25)
    }

    @Test func namesAgreeWithGender() {
        let people = DemoCustomers.generate(count: 5000, seed: 1)
        let women = people.filter { $0.gender == .female }
        #expect((2000...3000).contains(women.count))
        for person in people {
            switch person.gender {
            case .female:
                #expect(person.patronymic.hasSuffix("вна") || person.patronymic.hasSuffix("чна"), "\(person.fullName)")
                #expect(RussianNames.femaleGivenNames.contains(person.givenName))
                #expect(
                    !person.familyName.hasSuffix("ов") && !person.familyName.hasSuffix("ин") && !person.familyName.hasSuffix("ий"),
                    "\(person.fullName)")
            case .male:
                #expect(person.patronymic.hasSuffix("ич"), "\(person.fullName)")
                #expect(RussianNames.maleGivenNames.contains(person.givenName))
                #expect(!person.familyName.hasSuffix("ова") && !person.familyName.hasSuffix("ая"), "\(person.fullName)")
            }
        }
    }

    @Test func familyNamesTakeTheFeminineForm() {
        let pairs = [
            ("Иванов", "Иванова"), ("Соловьёв", "Соловьёва"), ("Ильин", "Ильина"), ("Островский", "Островская"), ("Высоцкий", "Высоцкая"),
            ("Трубецкой", "Трубецкая"), ("Толстой", "Толстая"), ("Шевченко", "Шевченко"), ("Черных", "Черных"), ("Ковальчук", "Ковальчук"),
        ]
        for (masculine, feminine) in pairs { #expect(RussianNames.feminine(masculine) == feminine) }
    }

    @Test func contactsAndAddressesAreValidAndUnique() throws {
        let people = DemoCustomers.generate(count: 20_000, seed: 9)
        #expect(Set(people.map(\.phone)).count == people.count)
        #expect(Set(people.map(\.email)).count == people.count)
        for person in people.prefix(2000) {
            #expect(try PhoneNumber.normalize(person.phone) == person.phone)
            #expect(person.phone.hasPrefix("+79"))
            #expect(try EmailAddress.validate(person.email) == person.email)
            #expect(person.email.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(try CustomerRules.address(person.address) == person.address)
            #expect((DemoCustomers.firstSigningDay...DemoCustomers.lastSigningDay).contains(person.signedOn))
        }
        #expect(Set(people.map(\.address.city)).count == RussianAddresses.cities.count)
        #expect(people.filter { $0.address.apartment == nil }.count > 0)
        #expect(Transliteration.latin("Щукин Юрий Ёлкин") == "shchukinyuriyelkin")
    }

    @Test(arguments: DatabaseKind.available)
    func loaderInsertsEveryCustomerWithAContract(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let batches = BatchLog()
            let loaded = try await DemoLoader(database: h.database).load(
                count: 2_345, seed: 5, batchSize: 500, concurrency: 3, onBatch: { batch in await batches.add(batch) })
            #expect(loaded == 2_345)
            let seeded = await batches.all
            #expect(seeded.count == 2_345)
            #expect(Set(seeded.map(\.index)) == Set(0..<2_345))
            #expect(Set(seeded.map(\.contractNumber)).count == 2_345)
            let customers = try await h.count("SELECT COUNT(*) AS n FROM customers")
            let contracts = try await h.count("SELECT COUNT(*) AS n FROM contracts")
            let numbers = try await h.count("SELECT COUNT(DISTINCT number) AS n FROM contracts")
            #expect([customers, contracts, numbers] == [Int](repeating: 2_345, count: 3))
            let events = try await h.outboxTypes()
            #expect(events.isEmpty, "the loader writes no events")
            let sample = try #require(seeded.first { $0.index == 1_000 })
            let person = DemoCustomers.customer(at: 1_000, seed: 5)
            let customer = try await h.service.customer(id: sample.customerId)
            #expect(customer.userId == sample.userId)
            #expect(customer.fullName == person.fullName)
            #expect(customer.phone == person.phone)
            #expect(
                customer.contracts == [
                    Contract(
                        id: sample.contractId, customerId: sample.customerId, number: sample.contractNumber, address: person.address,
                        signedOn: person.signedOn, isActive: true)
                ])
            // Numbers per signing year run from 1 without gaps, and registrations continue the sequence.
            let year2020 = seeded.filter { $0.contractNumber.hasPrefix("LM-2020-") }.map(\.contractNumber).sorted()
            #expect(year2020 == (1...year2020.count).map { String(format: "LM-2020-%06d", $0) })
            var input = CustomersHarness.input()
            input.signedOn = LocalDate(year: 2020, month: 6, day: 1)
            #expect(try await h.create(input).contracts[0].number == String(format: "LM-2020-%06d", year2020.count + 1))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func loaderUsesTheGivenUserIdsAndContinuesASet(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let loader = DemoLoader(database: h.database)
            try await loader.load(count: 100, seed: 3, userID: { "user-\($0.index)" })
            try await loader.load(count: 50, seed: 3, startingAt: 100, userID: { "user-\($0.index)" })
            let users = try await h.database.query("SELECT user_id FROM customers", []).map { try $0.string("user_id") }
            #expect(Set(users) == Set((0..<150).map { "user-\($0)" }))
            await #expect(throws: CustomerError.alreadyRegistered) {
                _ = try await h.create(DemoCustomers.customer(at: 7, seed: 3).newCustomer(userID: "user-7"))
            }
        }
    }
}

/// Collects the batches a loader reports.
actor BatchLog {
    private(set) var all: [DemoSeededCustomer] = []

    func add(_ batch: [DemoSeededCustomer]) { all += batch }
}
