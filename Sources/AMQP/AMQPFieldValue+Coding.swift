import NIOCore

extension AMQPFieldValue {
    /// Writes the type tag followed by the value.
    public func encode(into buffer: inout ByteBuffer) throws {
        switch self {
        case .boolean(let value):
            buffer.writeInteger(UInt8(ascii: "t"))
            buffer.writeInteger(UInt8(value ? 1 : 0))
        case .int8(let value):
            buffer.writeInteger(UInt8(ascii: "b"))
            buffer.writeInteger(value)
        case .uint8(let value):
            buffer.writeInteger(UInt8(ascii: "B"))
            buffer.writeInteger(value)
        case .int16(let value):
            buffer.writeInteger(UInt8(ascii: "s"))
            buffer.writeInteger(value)
        case .uint16(let value):
            buffer.writeInteger(UInt8(ascii: "u"))
            buffer.writeInteger(value)
        case .int32(let value):
            buffer.writeInteger(UInt8(ascii: "I"))
            buffer.writeInteger(value)
        case .uint32(let value):
            buffer.writeInteger(UInt8(ascii: "i"))
            buffer.writeInteger(value)
        case .int64(let value):
            buffer.writeInteger(UInt8(ascii: "l"))
            buffer.writeInteger(value)
        case .float(let value):
            buffer.writeInteger(UInt8(ascii: "f"))
            buffer.writeInteger(value.bitPattern)
        case .double(let value):
            buffer.writeInteger(UInt8(ascii: "d"))
            buffer.writeInteger(value.bitPattern)
        case .decimal(let scale, let value):
            buffer.writeInteger(UInt8(ascii: "D"))
            buffer.writeInteger(scale)
            buffer.writeInteger(value)
        case .string(let value):
            buffer.writeInteger(UInt8(ascii: "S"))
            buffer.writeAMQPLongString(value)
        case .bytes(let value):
            buffer.writeInteger(UInt8(ascii: "x"))
            buffer.writeAMQPLongBytes(value)
        case .array(let values):
            buffer.writeInteger(UInt8(ascii: "A"))
            try buffer.writeAMQPLengthPrefixed { buffer in
                for value in values {
                    try value.encode(into: &buffer)
                }
            }
        case .timestamp(let value):
            buffer.writeInteger(UInt8(ascii: "T"))
            buffer.writeInteger(value)
        case .table(let table):
            buffer.writeInteger(UInt8(ascii: "F"))
            try table.encode(into: &buffer)
        case .void:
            buffer.writeInteger(UInt8(ascii: "V"))
        }
    }

    /// Reads a type tag and its value.
    public static func decode(from buffer: inout ByteBuffer) throws -> AMQPFieldValue {
        let tag = try buffer.readAMQPInteger(as: UInt8.self)
        switch tag {
        case UInt8(ascii: "t"): return .boolean(try buffer.readAMQPInteger(as: UInt8.self) != 0)
        case UInt8(ascii: "b"): return .int8(try buffer.readAMQPInteger())
        case UInt8(ascii: "B"): return .uint8(try buffer.readAMQPInteger())
        case UInt8(ascii: "s"): return .int16(try buffer.readAMQPInteger())
        case UInt8(ascii: "u"): return .uint16(try buffer.readAMQPInteger())
        case UInt8(ascii: "I"): return .int32(try buffer.readAMQPInteger())
        case UInt8(ascii: "i"): return .uint32(try buffer.readAMQPInteger())
        case UInt8(ascii: "l"), UInt8(ascii: "L"): return .int64(try buffer.readAMQPInteger())
        case UInt8(ascii: "f"): return .float(Float(bitPattern: try buffer.readAMQPInteger()))
        case UInt8(ascii: "d"): return .double(Double(bitPattern: try buffer.readAMQPInteger()))
        case UInt8(ascii: "D"):
            let scale = try buffer.readAMQPInteger(as: UInt8.self)
            return .decimal(scale: scale, value: try buffer.readAMQPInteger())
        case UInt8(ascii: "S"): return .string(try buffer.readAMQPLongString())
        case UInt8(ascii: "x"): return .bytes(try buffer.readAMQPLongBytes())
        case UInt8(ascii: "A"):
            var slice = try buffer.readAMQPLengthPrefixedSlice()
            var values: [AMQPFieldValue] = []
            while slice.readableBytes > 0 {
                values.append(try decode(from: &slice))
            }
            return .array(values)
        case UInt8(ascii: "T"): return .timestamp(try buffer.readAMQPInteger())
        case UInt8(ascii: "F"): return .table(try AMQPFieldTable.decode(from: &buffer))
        case UInt8(ascii: "V"): return .void
        default: throw AMQPCodecError.unknownFieldType(tag)
        }
    }
}
