import Contracts
import Foundation
import Testing

@testable import Customers

@Suite("Phones, e-mails and other field rules")
struct ContactRulesTests {
    @Test(arguments: [
        "+79161234567", "+7 916 123-45-67", "8 (916) 123-45-67", "89161234567", "79161234567", "916 123 45 67", "  8-916-123-45-67 ",
        "+7 (916) 123.45.67",
    ])
    func russianNumbersBecomeE164(text: String) throws {
        #expect(try PhoneNumber.normalize(text) == "+79161234567")
    }

    @Test func cityNumbersAndOtherCountriesAreKept() throws {
        #expect(try PhoneNumber.normalize("8 (812) 555-12-34") == "+78125551234")
        #expect(try PhoneNumber.normalize("+44 20 7946 0958") == "+442079460958")
        #expect(try PhoneNumber.normalize("+375 29 123 45 67") == "+375291234567")
    }

    @Test(arguments: [
        "", "123", "8916123456789", "891612345678", "+7 916 123 45 6", "916-abc-45-67", "+0 123 456 789", "8 (016) 123-45-67", "++79161234567",
    ])
    func badNumbersNameThePhoneField(text: String) {
        #expect(throws: CustomerError.self) { try PhoneNumber.normalize(text) }
        do {
            _ = try PhoneNumber.normalize(text)
        } catch {
            #expect(invalidField(error) == "phone")
        }
    }

    @Test(arguments: ["ivan@example.com", "Ivan.Petrov+isp@Mail.RU", "a_b-c@sub.example.co", "user@почта.рф", " padded@example.com "])
    func plausibleEmailsPass(text: String) throws {
        #expect(try EmailAddress.validate(text) == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        "", "ivan", "ivan@", "@example.com", "ivan@example", "ivan@@example.com", "iv an@example.com", ".ivan@example.com", "iv..an@example.com",
        "ivan@-example.com", "ivan@example.c", "иван@example.com", "ivan@exa_mple.com",
    ])
    func badEmailsNameTheEmailField(text: String) {
        do {
            _ = try EmailAddress.validate(text)
            Issue.record("\(text) passed")
        } catch {
            #expect(invalidField(error) == "email")
        }
    }

    @Test func addressPartsNameTheirField() throws {
        let cases: [(PostalAddress, String)] = [
            (PostalAddress(city: " ", street: "ул. Ленина", building: "1"), "address.city"),
            (PostalAddress(city: "Казань", street: "", building: "1"), "address.street"),
            (PostalAddress(city: "Казань", street: "ул. Ленина", building: ""), "address.building"),
            (PostalAddress(city: "Казань", street: "ул. Ленина", building: "1", apartment: String(repeating: "9", count: 200)), "address.apartment"),
        ]
        for (address, field) in cases {
            do {
                _ = try CustomerRules.address(address)
                Issue.record("\(address) passed")
            } catch {
                #expect(invalidField(error) == field)
            }
        }
        let house = try CustomerRules.address(PostalAddress(city: " Казань ", street: "ул.  Баумана", building: "7А", apartment: " "))
        #expect(house.apartment == nil)
    }

    @Test func namesAndLocales() throws {
        #expect(try CustomerRules.fullName("  Петров   Пётр\tПетрович ") == "Петров Пётр Петрович")
        #expect(invalidField(catching { _ = try CustomerRules.fullName("   ") }) == "fullName")
        #expect(invalidField(catching { _ = try CustomerRules.fullName("12345") }) == "fullName")
        #expect(try CustomerRules.locale("EN") == "en")
        #expect(invalidField(catching { _ = try CustomerRules.locale("de") }) == "locale")
    }
}

/// The customer error `body` throws, or `nil`.
func catching(_ body: () throws -> Void) -> CustomerError? {
    do {
        try body()
        return nil
    } catch let error as CustomerError {
        return error
    } catch {
        return nil
    }
}

/// The field of an invalid-field error thrown as `any Error`.
func invalidField(_ error: any Error) -> String? {
    invalidField(error as? CustomerError)
}
