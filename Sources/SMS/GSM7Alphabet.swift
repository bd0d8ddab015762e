/// The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1) as Unicode: the characters one septet carries, and those
/// of its extension table, which take two (an escape and the character).
enum GSM7Alphabet {
    /// The basic table, in code order; 0x1B (the escape) is left out.
    static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)
    /// The extension table's characters.
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Septets `scalar` takes, or nil when the alphabet has no such character.
    static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }
}
