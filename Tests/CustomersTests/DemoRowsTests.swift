import Foundation
import Storage
import Testing

@testable import Customers

@Suite("Demo rows: ids and array literals")
struct DemoRowsTests {
    @Test func idsAreTimeOrderedUUIDsInRowOrder() {
        let ids = DemoIDs()
        let made = (0..<1_000).map { ids.id($0) }
        #expect(made == made.sorted())
        #expect(made.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() && Array($0)[14] == "7" })
        #expect(DemoIDs(at: Date(timeIntervalSince1970: 1)).id(0) < DemoIDs(at: Date(timeIntervalSince1970: 2)).id(0))
    }

    @Test func arrayLiteralsEscapeQuotesAndBackslashes() {
        var literal = PostgresArrayLiteral()
        for value: SQLValue in [.text("Иванов"), .text(#"a"b\c"#), .null, .integer(-5), .bool(true)] { literal.append(value) }
        #expect(literal.literal == #"{"Иванов","a\"b\\c",NULL,-5,t}"#)
    }

    @Test func rowsTakeTheGivenUserIdsOrMakeOrderedOnes() {
        let people = DemoCustomers.generate(count: 3, seed: 9)
        let given = DemoRows(people: people, numbers: ["1", "2", "3"], userID: { "user-\($0.index)" })
        #expect(given.rows.map(\.userID) == ["user-0", "user-1", "user-2"])
        let made = DemoRows(people: people, numbers: ["1", "2", "3"], userID: nil)
        #expect(made.rows.map(\.userID) == made.rows.map(\.userID).sorted())
        #expect(Set(made.rows.flatMap { [$0.customerID, $0.contractID, $0.userID] }).count == 9)
    }
}
