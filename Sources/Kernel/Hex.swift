/// Lower-case hexadecimal text of bytes, as digests are stored and compared (two digits a byte).
public enum Hex {
    /// `bytes` as lower-case hex: `[0x0f, 0xa0]` → `"0fa0"`.
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
