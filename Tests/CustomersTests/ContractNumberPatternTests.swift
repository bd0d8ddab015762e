import Contracts
import Kernel
import Testing

@testable import Customers

@Suite("Contract number patterns")
struct ContractNumberPatternTests {
    let day = LocalDate(year: 2026, month: 3, day: 9)!

    @Test func standardPatternCountsPerYear() {
        let pattern = ContractNumberPattern.standard
        #expect(pattern.format(sequence: 42, on: day) == "LM-2026-000042")
        #expect(pattern.format(sequence: 1_234_567, on: day) == "LM-2026-1234567")
        #expect(pattern.scope(on: day) == "2026")
    }

    @Test func monthlyAndUndatedPatterns() throws {
        let monthly = try ContractNumberPattern("{yy}{mm}/{seq:4}")
        #expect(monthly.format(sequence: 7, on: day) == "2603/0007")
        #expect(monthly.scope(on: day) == "2026-03")
        let plain = try ContractNumberPattern("Д-{seq}")
        #expect(plain.format(sequence: 15, on: day) == "Д-15")
        #expect(plain.scope(on: day) == "")
    }

    @Test(arguments: ["LM-{yyyy}", "{seq}-{seq}", "LM-{seq:0}", "LM-{dd}-{seq}", "LM-{seq", "LM}-{seq}"])
    func badPatternsAreRefused(pattern: String) {
        #expect(invalidField(catching { _ = try ContractNumberPattern(pattern) }) == "contractNumberPattern")
    }
}
