import SMS
import Testing

@Suite struct SMSSegmentsTests {
    @Test func gsm7TextTakes160ThenParts0f153() {
        #expect(SMSSegments("").count == 0)
        #expect(shape(String(repeating: "a", count: 160)) == "gsm7 160 1")
        #expect(shape(String(repeating: "a", count: 161)) == "gsm7 161 2")
        #expect(SMSSegments(String(repeating: "a", count: 306)).count == 2)
        #expect(SMSSegments(String(repeating: "a", count: 307)).count == 3)
        #expect(SMSSegments("@£$¥èéùìòÇ\r\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà").encoding == .gsm7)
    }

    @Test func extensionCharactersTakeTwoSeptetsAndAreNeverSplit() {
        #expect(shape("{}[]~\\|^€") == "gsm7 18 1")
        #expect(shape(String(repeating: "€", count: 80)) == "gsm7 160 1")
        #expect(shape(String(repeating: "€", count: 81)) == "gsm7 162 2")
        // 306 septets would be two parts of 153, but the euro cannot straddle them: three.
        let straddling = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
        #expect(shape(straddling) == "gsm7 306 3")
    }

    @Test func anyOtherCharacterMakesTheWholeTextUCS2() {
        #expect(shape("Ваш счёт оплачен") == "ucs2 16 1")
        #expect(SMSSegments("Balance: 650 ₽").encoding == .ucs2)
        #expect(SMSSegments("façade").encoding == .ucs2)
        #expect(shape(String(repeating: "я", count: 70)) == "ucs2 70 1")
        #expect(shape(String(repeating: "я", count: 71)) == "ucs2 71 2")
        #expect(SMSSegments(String(repeating: "я", count: 134)).count == 2)
        #expect(SMSSegments(String(repeating: "я", count: 135)).count == 3)
    }

    @Test func aSurrogatePairCountsTwoAndIsNeverSplit() {
        #expect(shape("😀") == "ucs2 2 1")
        #expect(shape(String(repeating: "я", count: 68) + "😀") == "ucs2 70 1")
        let straddling = String(repeating: "я", count: 66) + "😀" + String(repeating: "я", count: 66)
        #expect(shape(straddling) == "ucs2 134 3")
    }

    /// "encoding units count".
    func shape(_ text: String) -> String {
        let segments = SMSSegments(text)
        return "\(segments.encoding.rawValue) \(segments.units) \(segments.count)"
    }
}
