import Kernel
import ServerKit
import Testing

@Suite struct AcceptLanguageTests {
    static let cases: [(String?, MoneyLocale?)] = [
        (nil, nil),
        ("", nil),
        ("ru", MoneyLocale.ru),
        ("en-US,en;q=0.9", .en),
        ("EN-gb", .en),
        ("de-DE, en;q=0.4, ru;q=0.6", .ru),
        ("en, ru", .en),
        ("ru;q=0.5, en;q=0.5", .ru),
        ("fr, de", nil),
        ("*", .ru),
        ("ru;q=0, *;q=0.1", .en),
        ("en;q=0", nil),
        ("english", nil),
    ]

    @Test(arguments: cases)
    func theMostWantedOfferedLanguageWins(header: String?, expected: MoneyLocale?) {
        #expect(AcceptLanguage.preferred(in: header, among: MoneyLocale.allCases) == expected)
    }
}
