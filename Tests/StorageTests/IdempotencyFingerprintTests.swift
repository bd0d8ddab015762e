import Storage
import Testing

@Suite("Idempotency fingerprints")
struct IdempotencyFingerprintTests {
    @Test(
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("Идемпотентность ✓", "0df44d9fe87dda482d32051dcf9c3e47376adafed2a3a8a870492eef5001d248"),
        ])
    func sha256MatchesKnownDigests(message: String, digest: String) {
        #expect(IdempotencyFingerprint.sha256(Array(message.utf8)) == digest)
    }

    @Test(
        arguments: [
            (55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"),
            (56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"),
            (63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"),
            (64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"),
            (65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"),
            (119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"),
            (120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"),
            (128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"),
        ])
    func sha256PadsAtBlockBoundaries(length: Int, digest: String) {
        #expect(IdempotencyFingerprint.sha256([UInt8](repeating: UInt8(ascii: "x"), count: length)) == digest)
    }

    @Test
    func sha256OfAMillionBytes() {
        let digest = IdempotencyFingerprint.sha256([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Fingerprints already stored with idempotency keys: a change here would turn every retry into a conflict.
    @Test(
        arguments: [
            (["POST", "/api/v1/billing/pay", #"{"amount":100}"#], "506f66da6b8dd11c8a5f90e906e5dedfa51a75c550e64130a9176d8c8f65c441"),
            (["POST", "/api/v1/customers", #"{"name":"Иван"}"#], "b5f250d38d7712e5c355aace5c7c731e5b5b5a3cd41419b8b98b03ca41ce0e4c"),
            (["ab", "c"], "430fb1b4ac43316eca81fab27a1930ab8eff8fef6a1dc7903dce44bbc2790dc5"),
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ])
    func fingerprintsStayTheSame(parts: [String], fingerprint: String) {
        #expect(IdempotencyFingerprint.of(parts) == fingerprint)
    }

    @Test
    func partsAreDelimitedUnambiguously() {
        let pay = IdempotencyFingerprint.of("POST", "/api/v1/billing/pay", #"{"amount":100}"#)
        #expect(pay == IdempotencyFingerprint.of(["POST", "/api/v1/billing/pay", #"{"amount":100}"#]))
        #expect(pay != IdempotencyFingerprint.of("POST", "/api/v1/billing/pay", #"{"amount":101}"#))
        #expect(IdempotencyFingerprint.of("ab", "c") != IdempotencyFingerprint.of("a", "bc"))
        #expect(IdempotencyFingerprint.of("abc") != IdempotencyFingerprint.sha256(Array("abc".utf8)))
        #expect(pay.count == 64 && pay.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
