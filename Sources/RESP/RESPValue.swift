import NIOCore

/// A value of the Redis serialization protocol, covering every RESP2 and RESP3 type.
public enum RESPValue: Sendable, Hashable {
    /// `+OK`: a short status string.
    case simpleString(String)
    /// `-ERR message`: an error reply (RESP2 and RESP3).
    case error(String)
    /// `:42`: a signed 64-bit integer.
    case integer(Int64)
    /// `$3 foo`: binary-safe bytes; `nil` is the RESP2 null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// `*2 …`: an ordered list; `nil` is the RESP2 null array (`*-1`).
    case array([RESPValue]?)
    /// `_`: the RESP3 null.
    case null
    /// `#t` / `#f`: a RESP3 boolean.
    case boolean(Bool)
    /// `,3.14`: a RESP3 double, including `inf`, `-inf` and `nan`.
    case double(Double)
    /// `(3492890328409238509324850943850943825024385`: a RESP3 big number, kept as its decimal text.
    case bigNumber(String)
    /// `!21 SYNTAX invalid syntax`: a RESP3 bulk error.
    case bulkError(String)
    /// `=15 txt:Some string`: a RESP3 verbatim string with its three-letter format.
    case verbatimString(format: String, text: String)
    /// `%2 …`: a RESP3 map of key-value pairs.
    case map([RESPValue: RESPValue])
    /// `~2 …`: a RESP3 set.
    case set([RESPValue])
    /// `|1 …`: RESP3 attributes and the reply they annotate.
    indirect case attribute([RESPValue: RESPValue], RESPValue)
    /// `>2 …`: a RESP3 out-of-band push message.
    case push([RESPValue])
}

extension RESPValue {
    /// Makes a bulk string from text.
    public static func bulkString(_ text: String) -> RESPValue {
        .bulkString(ByteBuffer(string: text))
    }

    /// The value as text, for simple, bulk, verbatim and big-number strings; `nil` otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text): text
        case .bulkString(let bytes?): String(buffer: bytes)
        case .verbatimString(_, let text): text
        case .attribute(_, let value): value.string
        default: nil
        }
    }

    /// The value as an integer, for integers and strings holding one; `nil` otherwise.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .simpleString, .bulkString, .bigNumber: string.flatMap { Int64($0) }
        case .attribute(_, let value): value.int
        default: nil
        }
    }

    /// The value as a double, for doubles, integers and numeric strings; `nil` otherwise.
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        case .simpleString, .bulkString: string.flatMap { Double($0) }
        case .attribute(_, let value): value.double
        default: nil
        }
    }

    /// The elements of an array, set or push; `nil` otherwise (including the null array).
    public var array: [RESPValue]? {
        switch self {
        case .array(let values?), .set(let values), .push(let values): values
        case .attribute(_, let value): value.array
        default: nil
        }
    }

    /// Whether the value is a null of either protocol version.
    public var isNull: Bool {
        switch self {
        case .null, .bulkString(nil), .array(nil): true
        case .attribute(_, let value): value.isNull
        default: false
        }
    }
}
