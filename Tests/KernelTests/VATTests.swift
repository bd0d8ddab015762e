import Foundation
import Kernel
import TestSupport
import Testing

@Suite struct VATTests {
    @Test func extractsFromGross() throws {
        let split = try VATSplit(gross: .rub(122_00), rate: .standard22)
        #expect(split.vat == .rub(22_00))
        #expect(split.net == .rub(100_00))
        let old = try VATSplit(gross: .rub(120_00), rate: .standard20)
        #expect(old.vat == .rub(20_00))
        // 500,00 × 22/122 = 90,1639… → 90,16
        #expect(try Money.rub(500_00).vatIncluded(at: .standard22) == .rub(90_16))
        // 61 kopecks × 22/122 = 11 exactly; 3 × 22/122 = 0,54 → 1 kopeck
        #expect(try Money.rub(3).vatIncluded(at: .standard22) == .rub(1))
        // A half rounds away from zero: 61 × 20/120 = 10.1666…; 3 × 20/120 = 0.5 → 1; -3 → -1
        #expect(try Money.rub(3).vatIncluded(at: .standard20) == .rub(1))
        #expect(try Money.rub(-3).vatIncluded(at: .standard20) == .rub(-1))
    }

    @Test func addsToNet() throws {
        let split = try VATSplit(net: .rub(100_00), rate: .standard22)
        #expect(split.gross == .rub(122_00))
        #expect(split.vat == .rub(22_00))
        #expect(try Money.rub(1_23).addingVAT(at: .standard22) == .rub(1_50))  // 27.06 → 27
    }

    @Test func exempt() throws {
        let split = VATSplit.exempt(.rub(999))
        #expect(split.vat.isZero && split.net == .rub(999) && split.rate == nil)
        let treated = try VATSplit(gross: .rub(999), treatment: .exempt, taxDay: LocalDate("2026-05-01")!)
        #expect(treated == split)
    }

    @Test func rateFollowsTaxDateInMoscow() throws {
        let boundary = try #require(LocalDate("2026-01-01")).start(in: .moscow)
        #expect(boundary == Date(timeIntervalSince1970: 1_767_214_800))  // 2025-12-31 21:00 UTC
        #expect(VATRate.rate(on: boundary) == .standard22)
        #expect(VATRate.rate(on: boundary.addingTimeInterval(-1)) == .standard20)
        #expect(VATRate.rate(on: boundary.addingTimeInterval(-1), timeZone: TimeZone(identifier: "UTC")!) == .standard20)
        // 22:00 UTC on 31 December is already New Year in Moscow but not in UTC.
        let lateEvening = boundary.addingTimeInterval(3600)
        #expect(VATRate.rate(on: lateEvening) == .standard22)
        #expect(VATRate.rate(on: lateEvening, timeZone: TimeZone(identifier: "UTC")!) == .standard20)
        #expect(VATRate.rate(onTaxDay: LocalDate("2025-12-31")!) == .standard20)
        #expect(VATRate.rate(onTaxDay: LocalDate("2026-01-01")!) == .standard22)
        #expect(VATTreatment.standard.rate(on: boundary) == .standard22)
        #expect(VATTreatment.exempt.rate(on: boundary) == nil)
    }

    @Test func rateFollowsTaxDateOverManyInstants() {
        var random = SplitMix64(seed: 0x5641_54)
        let boundary = LocalDate("2026-01-01")!.start(in: .moscow).timeIntervalSince1970
        for _ in 0..<5_000 {
            // Within ±3 years of the change, and densely within ±1 day of it.
            let spread: Double = Bool.random(using: &random) ? 86_400 : 3 * 365 * 86_400
            let offset = Double(Int64.random(in: -Int64(spread)...Int64(spread), using: &random))
            let instant = Date(timeIntervalSince1970: boundary + offset)
            #expect(VATRate.rate(on: instant) == (offset >= 0 ? .standard22 : .standard20))
        }
    }

    /// net + VAT == gross exactly, and VAT is the half-up rounding of gross × r/(1+r), for many random amounts.
    @Test func netPlusVATIsGrossExactly() throws {
        var random = SplitMix64(seed: 0x6E65_7456_4154)
        let rates: [VATRate] = [.standard22, .standard20, VATRate(percent: 10), .zero, VATRate(numerator: 7, denominator: 100)]
        for _ in 0..<10_000 {
            let gross = Money.rub(random.amount())
            for rate in rates {
                let split = try VATSplit(gross: gross, rate: rate)
                #expect(try split.net + split.vat == gross)
                let exact = Int128(gross.minorUnits) * Int128(rate.numerator)
                let divisor = Int128(rate.denominator + rate.numerator)
                // |VAT − exact| ≤ half a kopeck: |2·VAT·divisor − 2·exact| ≤ divisor.
                let error = 2 * Int128(split.vat.minorUnits) * divisor - 2 * exact
                #expect(error.magnitude <= UInt128(divisor))
                #expect(split.vat.isNegative == false || gross.isNegative)
            }
            if let added = try? VATSplit(net: gross, rate: .standard22) {
                #expect(try added.net + added.vat == added.gross)
            }
        }
    }

    @Test func rateText() {
        #expect(VATRate.standard22.description == "22%")
        #expect(VATRate(numerator: 21, denominator: 200).description == "10.5%")
        #expect(VATRate(numerator: 11, denominator: 50) == .standard22)
    }

    @Test func rateCodable() throws {
        let data = try JSONEncoder.sorted.encode(VATRate.standard22)
        #expect(String(decoding: data, as: UTF8.self) == #"{"denominator":100,"numerator":22}"#)
        #expect(try JSONDecoder().decode(VATRate.self, from: data) == .standard22)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(VATRate.self, from: Data(#"{"denominator":0,"numerator":1}"#.utf8)) }
    }
}
