import Kernel
import Testing

struct HexTests {
    @Test func bytesBecomeTwoLowerCaseDigitsEach() {
        #expect(Hex.lowercase([UInt8]()) == "")
        #expect(Hex.lowercase([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.lowercase(Array(0...255).map(UInt8.init)).count == 512)
    }
}
