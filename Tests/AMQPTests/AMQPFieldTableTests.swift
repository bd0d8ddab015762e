import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPFieldTableTests {
    static let everyType: [(String, AMQPFieldValue)] = [
        ("t", .boolean(true)),
        ("b", .int8(-8)),
        ("B", .uint8(200)),
        ("s", .int16(-1600)),
        ("u", .uint16(60_000)),
        ("I", .int32(-3_200_000)),
        ("i", .uint32(4_000_000_000)),
        ("l", .int64(-6_400_000_000)),
        ("f", .float(1.5)),
        ("d", .double(-2.25)),
        ("D", .decimal(scale: 2, value: 12_345)),
        ("S", .string("héllo")),
        ("x", .bytes([0, 1, 0xFF])),
        ("A", .array([.int32(1), .string("two"), .array([])])),
        ("T", .timestamp(1_700_000_000)),
        ("F", .table(["inner": .boolean(false)])),
        ("V", .void),
    ]

    @Test(arguments: everyType.map(\.0))
    func everyFieldTypeRoundTripsWithItsRabbitMQTag(tag: String) throws {
        let value = Self.everyType.first { $0.0 == tag }!.1
        var buffer = ByteBuffer()
        try value.encode(into: &buffer)
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == UInt8(ascii: tag.unicodeScalars.first!))
        #expect(try AMQPFieldValue.decode(from: &buffer) == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test func tableWithEveryTypeRoundTripsInOrder() throws {
        let table = AMQPFieldTable(Self.everyType.map { (key: $0.0, value: $0.1) })
        var buffer = ByteBuffer()
        try table.encode(into: &buffer)
        let decoded = try AMQPFieldTable.decode(from: &buffer)
        #expect(decoded == table)
        #expect(decoded.entries.map(\.key) == Self.everyType.map(\.0))
        #expect(buffer.readableBytes == 0)
    }

    @Test func tableByteLayoutMatchesTheSpec() throws {
        let table: AMQPFieldTable = ["a": .int16(1), "bc": .string("z")]
        var buffer = ByteBuffer()
        try table.encode(into: &buffer)
        // long length 14, then: shortstr "a", 's', int16 1; shortstr "bc", 'S', longstr "z".
        #expect(buffer == bytes([0, 0, 0, 14], 1, "a", "s", [0, 1], 2, "bc", "S", [0, 0, 0, 1], "z"))
    }

    @Test func specCapitalLDecodesAsSignedInt64() throws {
        var buffer = bytes("L", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try AMQPFieldValue.decode(from: &buffer) == .int64(-2))
    }

    @Test func emptyTableIsFourZeroBytes() throws {
        var buffer = ByteBuffer()
        try AMQPFieldTable().encode(into: &buffer)
        #expect(buffer == bytes([0, 0, 0, 0]))
    }

    @Test func subscriptReadsReplacesAppendsAndRemoves() {
        var table: AMQPFieldTable = ["a": 1, "b": 2]
        #expect(table["a"] == .int64(1))
        table["a"] = "one"
        table["c"] = true
        table["b"] = nil
        #expect(table == ["a": "one", "c": true])
        #expect(table["missing"] == nil)
    }

    @Test func unknownFieldTypeIsAnError() {
        var buffer = bytes("Z", 0)
        #expect(throws: AMQPCodecError.unknownFieldType(UInt8(ascii: "Z"))) { try AMQPFieldValue.decode(from: &buffer) }
    }

    @Test func truncatedTableIsAnError() {
        var buffer = bytes([0, 0, 0, 10], 1, "a")
        #expect(throws: AMQPCodecError.truncated) { try AMQPFieldTable.decode(from: &buffer) }
    }

    @Test func shortStringLimitIs255Bytes() throws {
        var buffer = ByteBuffer()
        try buffer.writeAMQPShortString(String(repeating: "k", count: 255))
        #expect(buffer.readableBytes == 256)
        #expect(throws: AMQPCodecError.shortStringTooLong(length: 256)) {
            try AMQPFieldTable([(key: String(repeating: "k", count: 256), value: .void)]).encode(into: &buffer)
        }
        // The limit counts UTF-8 bytes, not characters.
        #expect(throws: AMQPCodecError.shortStringTooLong(length: 256)) {
            try buffer.writeAMQPShortString(String(repeating: "é", count: 128))
        }
    }

    @Test func longStringsAreNotLimitedTo255Bytes() throws {
        let long = String(repeating: "v", count: 70_000)
        var buffer = ByteBuffer()
        try AMQPFieldValue.string(long).encode(into: &buffer)
        #expect(try AMQPFieldValue.decode(from: &buffer) == .string(long))
    }
}
