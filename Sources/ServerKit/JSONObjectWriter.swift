import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Synchronization

/// Writes one JSON object straight into a `ByteBuffer`, for hot responses whose `JSONEncoder` encoding cost more
/// than the rest of the request.
///
/// The output decodes exactly as `JSONEncoder`'s would (``AppRequestContext/responseEncoder``): strings escaped
/// the same way (`/` included), dates through ``JSONDates/format(_:)``, nil optionals left out. Keys are written
/// as given, so they must not need escaping.
public struct JSONObjectWriter {
    private var buffer: ByteBuffer
    private var empty = true

    /// Starts an object.
    public init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    /// Writes a string member.
    public mutating func field(_ key: StaticString, _ value: String) {
        start(key)
        writeString(value)
    }

    /// Writes a string member, or nothing when `value` is nil.
    public mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        field(key, value)
    }

    /// Writes a boolean member.
    public mutating func field(_ key: StaticString, _ value: Bool) {
        start(key)
        buffer.writeStaticString(value ? "true" : "false")
    }

    /// Writes an integer member.
    public mutating func field(_ key: StaticString, _ value: Int) {
        start(key)
        writeDecimal(Int64(value))
    }

    /// Writes an integer member.
    public mutating func field(_ key: StaticString, _ value: Int64) {
        start(key)
        writeDecimal(value)
    }

    /// Writes a date member as ``JSONDates`` formats it.
    public mutating func field(_ key: StaticString, _ value: Date) {
        start(key)
        let parts = JSONDates.parts(of: value)
        buffer.writeInteger(UInt8(ascii: "\""))
        writeDay(year: parts.year, month: parts.month, day: parts.day)
        buffer.writeInteger(UInt8(ascii: "T"))
        writeDigits(parts.hour, width: 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        writeDigits(parts.minute, width: 2)
        buffer.writeInteger(UInt8(ascii: ":"))
        writeDigits(parts.second, width: 2)
        if let millisecond = parts.millisecond {
            buffer.writeInteger(UInt8(ascii: "."))
            writeDigits(millisecond, width: 3)
        }
        buffer.writeStaticString("Z\"")
    }

    /// Writes a calendar day member as `LocalDate` encodes it: `"YYYY-MM-DD"`.
    public mutating func field(_ key: StaticString, _ value: LocalDate) {
        start(key)
        buffer.writeInteger(UInt8(ascii: "\""))
        writeDay(year: value.year, month: value.month, day: value.day)
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes a billing period member as `BillingPeriod` encodes it: `"YYYY-MM"`.
    public mutating func field(_ key: StaticString, _ value: BillingPeriod) {
        start(key)
        buffer.writeInteger(UInt8(ascii: "\""))
        writeDigits(value.year, width: 4)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeDigits(value.month, width: 2)
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes an array-of-strings member.
    public mutating func field(_ key: StaticString, _ values: [String]) {
        start(key)
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            writeString(value)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// Writes an object member whose members `body` writes.
    public mutating func object(_ key: StaticString, _ body: (inout JSONObjectWriter) -> Void) {
        start(key)
        nested(body)
    }

    /// Writes an array member with one object per element, whose members `body` writes.
    public mutating func objects<Elements: Sequence>(
        _ key: StaticString, _ elements: Elements, _ body: (inout JSONObjectWriter, Elements.Element) -> Void
    ) {
        start(key)
        buffer.writeInteger(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { buffer.writeInteger(UInt8(ascii: ",")) }
            first = false
            nested { body(&$0, element) }
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// Closes the object and returns its bytes.
    public consuming func finish() -> ByteBuffer {
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    private mutating func writeDay(year: Int, month: Int, day: Int) {
        writeDigits(year, width: 4)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeDigits(month, width: 2)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeDigits(day, width: 2)
    }

    /// `value` (not negative) in decimal, zero-padded to `width` digits at least.
    private mutating func writeDigits(_ value: Int, width: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = UInt64(max(0, value))
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0 || digits.count - start < width
            buffer.writeBytes(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    private mutating func writeDecimal(_ value: Int64) {
        if value < 0 {
            buffer.writeInteger(UInt8(ascii: "-"))
            // The magnitude of Int64.min does not fit an Int: write it as text.
            guard value != .min else {
                buffer.writeStaticString("9223372036854775808")
                return
            }
            writeDigits(Int(-value), width: 1)
        } else {
            writeDigits(Int(value), width: 1)
        }
    }

    private mutating func nested(_ body: (inout JSONObjectWriter) -> Void) {
        buffer.writeInteger(UInt8(ascii: "{"))
        empty = true
        body(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        empty = false
    }

    private mutating func start(_ key: StaticString) {
        if !empty { buffer.writeInteger(UInt8(ascii: ",")) }
        empty = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
    }

    private mutating func writeString(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var clean = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") else { continue }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean..<index])))
                writeEscaped(byte)
                clean = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean...])))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case UInt8(ascii: "/"): buffer.writeStaticString("\\/")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
        case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
        case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
        default:
            let digits: StaticString = "0123456789abcdef"
            buffer.writeStaticString("\\u00")
            digits.withUTF8Buffer { digits in
                buffer.writeInteger(digits[Int(byte >> 4)])
                buffer.writeInteger(digits[Int(byte & 0xF)])
            }
        }
    }
}

/// A response DTO that writes its own JSON with ``JSONObjectWriter`` instead of going through `JSONEncoder`.
public protocol JSONObjectWritable: Encodable {
    /// Writes the members `Encodable` would encode.
    func writeJSON(to writer: inout JSONObjectWriter)
}

extension JSONObjectWritable {
    /// The JSON bytes of the value.
    public var jsonBytes: ByteBuffer {
        var writer = JSONObjectWriter()
        writeJSON(to: &writer)
        return writer.finish()
    }

    /// A response with the value as `application/json`, headed as Hummingbird's JSON encoder heads it.
    public func jsonResponse(status: HTTPResponse.Status = .ok) -> Response {
        let body = jsonBytes
        return Response(status: status, headers: jsonHeaders(contentLength: body.readableBytes), body: .init(byteBuffer: body))
    }
}

/// The encoded JSON of hot values that rarely change (the caller's profile), by key: a hit compares the value with
/// the one encoded and answers the same bytes; a changed value is encoded afresh. Bounded: when full, starts over.
public final class JSONResponseCache<Value: JSONObjectWritable & Equatable & Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, body: ByteBuffer)]>([:])
    private let capacity: Int

    /// Creates a cache of at most `capacity` values.
    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// A `200` JSON response for `value`, cached under `key`.
    public func response(for value: Value, key: String) -> Response {
        let body = body(for: value, key: key)
        return Response(status: .ok, headers: jsonHeaders(contentLength: body.readableBytes), body: .init(byteBuffer: body))
    }

    /// The JSON bytes of `value`, cached under `key`.
    public func body(for value: Value, key: String) -> ByteBuffer {
        if let cached = entries.withLock({ $0[key] }), cached.value == value { return cached.body }
        let body = value.jsonBytes
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, body)
        }
        return body
    }

    /// The entries held now.
    public var count: Int { entries.withLock { $0.count } }
}

extension UserProfile: JSONObjectWritable {
    /// Writes the profile; `GET /api/v1/auth/me` answers it on every authenticated page load.
    public func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("id", id)
        writer.field("email", email)
        writer.field("role", role.rawValue)
        writer.field("isActive", isActive)
        writer.field("locale", locale)
        writer.field("createdAt", createdAt)
    }
}

/// `Content-Type: application/json; charset=utf-8` and `Content-Length`, as Hummingbird's JSON encoder heads a body.
func jsonHeaders(contentLength: Int) -> HTTPFields {
    var headers = HTTPFields()
    // Room for what the middleware and the server add (request id, Vary, RateLimit-*, Date, Server).
    headers.reserveCapacity(12)
    headers.append(HTTPField(name: .contentType, value: "application/json; charset=utf-8"))
    headers.append(HTTPField(name: .contentLength, value: String(contentLength)))
    return headers
}
