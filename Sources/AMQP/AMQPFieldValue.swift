/// A typed value in an AMQP field table or array, with the type tags RabbitMQ uses.
///
/// RabbitMQ departs from the 0-9-1 grammar: `s` is a signed 16-bit integer (not a short string),
/// `l` is a signed 64-bit integer, and `x` is a byte array. The decoder also reads the spec's `L`
/// as a signed 64-bit integer; the encoder always writes `l`.
public enum AMQPFieldValue: Sendable, Equatable {
    /// `t`: a boolean, one octet.
    case boolean(Bool)
    /// `b`: a signed 8-bit integer.
    case int8(Int8)
    /// `B`: an unsigned 8-bit integer.
    case uint8(UInt8)
    /// `s`: a signed 16-bit integer.
    case int16(Int16)
    /// `u`: an unsigned 16-bit integer.
    case uint16(UInt16)
    /// `I`: a signed 32-bit integer.
    case int32(Int32)
    /// `i`: an unsigned 32-bit integer.
    case uint32(UInt32)
    /// `l` (or `L` on decode): a signed 64-bit integer.
    case int64(Int64)
    /// `f`: an IEEE 754 single-precision float.
    case float(Float)
    /// `d`: an IEEE 754 double-precision float.
    case double(Double)
    /// `D`: a decimal, `value / 10^scale`.
    case decimal(scale: UInt8, value: UInt32)
    /// `S`: a long string (UTF-8; invalid sequences are repaired on decode).
    case string(String)
    /// `x`: a byte array.
    case bytes([UInt8])
    /// `A`: an array of field values.
    case array([AMQPFieldValue])
    /// `T`: a timestamp, seconds since the Unix epoch.
    case timestamp(UInt64)
    /// `F`: a nested field table.
    case table(AMQPFieldTable)
    /// `V`: no value.
    case void
}

extension AMQPFieldValue: ExpressibleByStringLiteral {
    /// Creates a long-string value.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension AMQPFieldValue: ExpressibleByIntegerLiteral {
    /// Creates a signed 64-bit value, the integer type RabbitMQ arguments accept everywhere.
    public init(integerLiteral value: Int64) {
        self = .int64(value)
    }
}

extension AMQPFieldValue: ExpressibleByBooleanLiteral {
    /// Creates a boolean value.
    public init(booleanLiteral value: Bool) {
        self = .boolean(value)
    }
}
