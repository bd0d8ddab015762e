import NIOCore

// Readers throw `truncated` because they only ever run over the payload of a complete frame:
// running out of bytes there means the frame is malformed, not that more data is coming.
extension ByteBuffer {
    mutating func readAMQPInteger<T: FixedWidthInteger>(as type: T.Type = T.self) throws -> T {
        guard let value = readInteger(as: T.self) else { throw AMQPCodecError.truncated }
        return value
    }

    mutating func writeAMQPShortString(_ string: String) throws {
        let length = string.utf8.count
        guard length <= Int(UInt8.max) else { throw AMQPCodecError.shortStringTooLong(length: length) }
        writeInteger(UInt8(length))
        writeString(string)
    }

    mutating func readAMQPShortString() throws -> String {
        let length = try readAMQPInteger(as: UInt8.self)
        guard let string = readString(length: Int(length)) else { throw AMQPCodecError.truncated }
        return string
    }

    mutating func writeAMQPLongString(_ string: String) {
        writeInteger(UInt32(string.utf8.count))
        writeString(string)
    }

    mutating func readAMQPLongString() throws -> String {
        let length = try readAMQPInteger(as: UInt32.self)
        guard let string = readString(length: Int(length)) else { throw AMQPCodecError.truncated }
        return string
    }

    mutating func writeAMQPLongBytes(_ bytes: [UInt8]) {
        writeInteger(UInt32(bytes.count))
        writeBytes(bytes)
    }

    mutating func readAMQPLongBytes() throws -> [UInt8] {
        let length = try readAMQPInteger(as: UInt32.self)
        guard let bytes = readBytes(length: Int(length)) else { throw AMQPCodecError.truncated }
        return bytes
    }

    /// Consecutive bit arguments share octets, least significant bit first (spec 4.2.5.2).
    mutating func writeAMQPBits(_ bits: Bool...) {
        var index = 0
        while index < bits.count {
            var octet: UInt8 = 0
            for bit in 0..<8 where index + bit < bits.count && bits[index + bit] {
                octet |= 1 << UInt8(bit)
            }
            writeInteger(octet)
            index += 8
        }
    }

    mutating func readAMQPBits(count: Int) throws -> [Bool] {
        var bits: [Bool] = []
        bits.reserveCapacity(count)
        while bits.count < count {
            let octet = try readAMQPInteger(as: UInt8.self)
            for bit in 0..<8 where bits.count < count {
                bits.append(octet & (1 << UInt8(bit)) != 0)
            }
        }
        return bits
    }

    /// Writes a 32-bit length placeholder, runs `body`, then patches in the number of bytes it wrote.
    mutating func writeAMQPLengthPrefixed(_ body: (inout ByteBuffer) throws -> Void) rethrows {
        let lengthIndex = writerIndex
        writeInteger(UInt32(0))
        try body(&self)
        setInteger(UInt32(writerIndex - lengthIndex - 4), at: lengthIndex)
    }

    mutating func readAMQPLengthPrefixedSlice() throws -> ByteBuffer {
        let length = try readAMQPInteger(as: UInt32.self)
        guard let slice = readSlice(length: Int(length)) else { throw AMQPCodecError.truncated }
        return slice
    }
}
