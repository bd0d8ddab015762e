import SMS
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: ["+7 925 507-06-02", "8 (925) 507 06 02", "79255070602", "9255070602", "+7(925)507.06.02", " 89255070602 "])
    func russianFormsAreOneNumber(text: String) throws {
        let number = try PhoneNumber(text)
        #expect(number.e164 == "+79255070602")
        #expect(number.digits == "79255070602")
        #expect(number.isRussianMobile)
    }

    @Test func foreignNumbersNeedTheirPlus() throws {
        #expect(try PhoneNumber("+375 29 123-45-67").e164 == "+375291234567")
        #expect(try PhoneNumber("+49 1512 3456789").e164 == "+4915123456789")
        #expect(throws: PhoneNumberError.notRussian) { try PhoneNumber("3752912345") }
    }

    @Test func badInputIsRefusedWithAReason() {
        #expect(throws: PhoneNumberError.empty) { try PhoneNumber(" - ") }
        #expect(throws: PhoneNumberError.invalidCharacter("a")) { try PhoneNumber("8925abc0602") }
        #expect(throws: PhoneNumberError.invalidCharacter("+")) { try PhoneNumber("7+9255070602") }
        #expect(throws: PhoneNumberError.wrongLength(digits: 10, expected: "11 digits for +7")) { try PhoneNumber("+7925507060") }
        #expect(throws: PhoneNumberError.invalidCountryCode) { try PhoneNumber("+0123456789") }
        #expect(throws: PhoneNumberError.self) { try PhoneNumber("12345") }
        #expect(throws: PhoneNumberError.self) { try PhoneNumber("+1234567890123456") }
        #expect(
            PhoneNumberError.wrongLength(digits: 5, expected: "8 to 15 digits").description
                == "the phone number has 5 digits; expected 8 to 15 digits")
    }
}
