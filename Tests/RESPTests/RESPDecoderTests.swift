import NIOCore
import Testing

@testable import RESP

@Suite struct RESPDecoderTests {
    static let samples: [RESPValue] = [
        .simpleString("OK"),
        .simpleString(""),
        .error("ERR unknown command"),
        .integer(0),
        .integer(-42),
        .integer(.max),
        .integer(.min),
        .bulkString("hello"),
        .bulkString(""),
        .bulkString("with\r\nCRLF inside"),
        .bulkString(nil),
        .array([]),
        .array(nil),
        .array([.bulkString("GET"), .integer(1), .array([.null, .simpleString("x")])]),
        .null,
        .boolean(true),
        .boolean(false),
        .double(3.25),
        .double(-1e20),
        .double(.infinity),
        .double(-.infinity),
        .bigNumber("3492890328409238509324850943850943825024385"),
        .bigNumber("-12"),
        .bulkError("SYNTAX invalid syntax"),
        .verbatimString(format: "txt", text: "Some string"),
        .verbatimString(format: "mkd", text: ""),
        .map([.simpleString("first"): .integer(1), .bulkString("second"): .array([.boolean(false)])]),
        .map([:]),
        .set([.integer(1), .bulkString("two")]),
        .attribute([.simpleString("ttl"): .integer(3600)], .array([.integer(2039123), .integer(9543892)])),
        .push([.bulkString("invalidate"), .array([.bulkString("key")])]),
    ]

    @Test(arguments: samples)
    func roundTrips(_ value: RESPValue) throws {
        var buffer = value.encoded
        #expect(try RESPDecoder().decode(&buffer) == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: samples)
    func everySplitDecodesOnlyWhenComplete(_ value: RESPValue) throws {
        let bytes = value.encoded
        for cut in 0..<bytes.readableBytes {
            var prefix = bytes.getSlice(at: bytes.readerIndex, length: cut)!
            #expect(try RESPDecoder().decode(&prefix) == nil, "prefix of \(cut) bytes")
            #expect(prefix.readableBytes == cut, "a partial frame is not consumed")
        }
        var full = bytes
        #expect(try RESPDecoder().decode(&full) == value)
    }

    @Test func decodesNaN() throws {
        var buffer = ByteBuffer(string: ",nan\r\n")
        guard case .double(let value) = try RESPDecoder().decode(&buffer) else { Issue.record("not a double"); return }
        #expect(value.isNaN)
    }

    @Test func decodesSeveralFramesInOneBuffer() throws {
        var buffer = ByteBuffer(string: "+OK\r\n:1\r\n$1\r\na\r\n")
        let decoder = RESPDecoder()
        #expect(try decoder.decode(&buffer) == .simpleString("OK"))
        #expect(try decoder.decode(&buffer) == .integer(1))
        #expect(try decoder.decode(&buffer) == .bulkString("a"))
        #expect(try decoder.decode(&buffer) == nil)
    }

    @Test func flatRepliesDecodeLikeTheFullParser() throws {
        let frames = [
            "+OK\r\n", "+\r\n", "-ERR bad\r\n", ":0\r\n", ":-0\r\n", ":+5\r\n", ":123456789012345678\r\n", ":-9223372036854775808\r\n",
            ":9223372036854775807\r\n", "$0\r\n\r\n", "$-1\r\n", "$5\r\nab\r\nc\r\n", "$4\r\nclé\r\n",
        ]
        let expected: [RESPValue] = [
            .simpleString("OK"), .simpleString(""), .error("ERR bad"), .integer(0), .integer(0), .integer(5), .integer(123_456_789_012_345_678),
            .integer(.min), .integer(.max), .bulkString(""), .bulkString(nil), .bulkString("ab\r\nc"), .bulkString("clé"),
        ]
        for (frame, value) in zip(frames, expected) {
            var buffer = ByteBuffer(string: frame + "+next\r\n")
            #expect(try RESPDecoder().decode(&buffer) == value, "\(frame)")
            #expect(try RESPDecoder().decode(&buffer) == .simpleString("next"), "\(frame) consumed exactly")
        }
    }

    @Test func flatRepliesHonourTheLimits() throws {
        let limits = RESPDecoder.Limits(maxBulkLength: 4, maxLineLength: 8)
        var fits = ByteBuffer(string: "$4\r\nabcd\r\n+12345678\r\n")
        #expect(try RESPDecoder(limits: limits).decode(&fits) == .bulkString("abcd"))
        #expect(try RESPDecoder(limits: limits).decode(&fits) == .simpleString("12345678"))
        for frame in ["$5\r\nabcde\r\n", "+123456789\r\n", "-123456789\r\n"] {
            var buffer = ByteBuffer(string: frame)
            #expect(throws: RESPError.self, "\(frame)") { try RESPDecoder(limits: limits).decode(&buffer) }
        }
    }

    static let malformed: [String] = [
        "$3\r\nabc\rX",
        "$3\r\nabcXY",
        ":-\r\n",
        ":1\rX",
        "-ERR\rX",
        "?\r\n",
        ":12a\r\n",
        ":\r\n",
        ":99999999999999999999\r\n",
        "$-2\r\n",
        "$3\r\nabcd\r\n",
        "$x\r\n",
        "*-5\r\n",
        "#x\r\n",
        ",1.2.3\r\n",
        ",\r\n",
        "(12x\r\n",
        "_x\r\n",
        "=3\r\ntxt\r\n",
        "=5\r\ntxtxx\r\n",
        "%-1\r\n",
        "+OK\rX",
        "$?\r\n",
    ]

    @Test(arguments: malformed)
    func malformedFramesThrowProtocolErrors(_ frame: String) {
        var buffer = ByteBuffer(string: frame)
        #expect {
            try RESPDecoder().decode(&buffer)
        } throws: { error in
            (error as? RESPError)?.code == .protocolError
        }
    }

    @Test func nestingBeyondTheLimitThrows() throws {
        let limits = RESPDecoder.Limits(maxDepth: 8)
        var allowed = ByteBuffer(string: String(repeating: "*1\r\n", count: 8) + ":1\r\n")
        #expect(try RESPDecoder(limits: limits).decode(&allowed) != nil)
        var tooDeep = ByteBuffer(string: String(repeating: "*1\r\n", count: 9) + ":1\r\n")
        #expect(throws: RESPError.self) { try RESPDecoder(limits: limits).decode(&tooDeep) }
        // Default limit against a hostile server: a million nested arrays must fail cleanly, not overflow the stack.
        var hostile = ByteBuffer(string: String(repeating: "*1\r\n", count: 1_000_000))
        #expect(throws: RESPError.self) { try RESPDecoder().decode(&hostile) }
    }

    @Test func sizeLimitsAreEnforced() throws {
        let limits = RESPDecoder.Limits(maxBulkLength: 10, maxAggregateCount: 3, maxLineLength: 16)
        for frame in ["$11\r\n", "*4\r\n", "%4\r\n", "+" + String(repeating: "a", count: 17), "+" + String(repeating: "a", count: 20) + "\r\n"] {
            var buffer = ByteBuffer(string: frame)
            #expect(throws: RESPError.self, "\(frame)") { try RESPDecoder(limits: limits).decode(&buffer) }
        }
        var fits = ByteBuffer(string: "$10\r\n0123456789\r\n")
        #expect(try RESPDecoder(limits: limits).decode(&fits) == .bulkString("0123456789"))
    }

    @Test func hugeDeclaredCountsDoNotAllocateUpFront() throws {
        var buffer = ByteBuffer(string: "*16000000\r\n:1\r\n")
        #expect(try RESPDecoder().decode(&buffer) == nil)
    }

    @Test func encodesCommandsAsArraysOfBulkStrings() {
        let buffer = RESPCommandEncoder.encode(["SET", "clé", ""])
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$4\r\nclé\r\n$0\r\n\r\n")
    }

    @Test(arguments: [9, 10, 99, 100, 12_345, 1_000_000])
    func encodesLengthsOfEveryNumberOfDigits(length: Int) throws {
        let value = String(repeating: "x", count: length)
        let arguments = Array(repeating: "a", count: length % 97)
        var buffer = RESPCommandEncoder.encode(["MSET", value] + arguments)
        #expect(String(buffer: buffer).hasPrefix("*\(2 + arguments.count)\r\n$4\r\nMSET\r\n$\(length)\r\n"))
        let decoded = try #require(try RESPDecoder().decode(&buffer))
        #expect(decoded == .array((["MSET", value] + arguments).map { RESPValue.bulkString($0) }))
    }

    @Test func valueAccessors() {
        #expect(RESPValue.bulkString("12").int == 12)
        #expect(RESPValue.verbatimString(format: "txt", text: "hi").string == "hi")
        #expect(RESPValue.array(nil).isNull && RESPValue.bulkString(nil).isNull && RESPValue.null.isNull)
        #expect(RESPValue.set([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.attribute([:], .integer(5)).int == 5)
    }
}
