import Synchronization

/// A W3C Trace Context `traceparent` (level 1): which trace a piece of work belongs to and which span asked for it,
/// as `00-<trace-id>-<parent-id>-<flags>` in lower-case hex.
///
/// A request that arrives with a valid one continues its trace; any other gets a new trace. Every hop onward (an
/// HTTP call, an event) carries the same trace id under a new parent id, so the logs of every process a request
/// touched can be found by its `trace_id`.
public struct TraceParent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The version this implementation writes.
    public static let version: UInt8 = 0
    /// The `sampled` flag: the caller may have recorded its part of the trace.
    public static let sampledFlag: UInt8 = 0x01

    /// The trace id's high 8 bytes.
    public let traceHigh: UInt64
    /// The trace id's low 8 bytes.
    public let traceLow: UInt64
    /// The id of the span this one was asked for by.
    public let parentID: UInt64
    /// The trace flags; level 1 defines only ``sampledFlag`` and the others are cleared.
    public let flags: UInt8

    /// A trace parent from its parts; nil when the trace id or parent id is all zeros (invalid by the standard).
    public init?(traceHigh: UInt64, traceLow: UInt64, parentID: UInt64, flags: UInt8) {
        guard traceHigh | traceLow != 0, parentID != 0 else { return nil }
        self.traceHigh = traceHigh
        self.traceLow = traceLow
        self.parentID = parentID
        self.flags = flags & Self.sampledFlag
    }

    /// Parses a `traceparent` header; nil when it is not valid, and then the receiver starts a new trace.
    ///
    /// Version `00` must be exactly 55 characters. A later version is read for its first four fields when they have
    /// version 00's shape, as the standard asks, and is carried on as version 00. Version `ff` is invalid.
    public init?(header: some StringProtocol) {
        let bytes = Array(header.utf8)
        guard bytes.count >= 55, let version = Self.hex(bytes[0..<2]), version != 0xff else { return nil }
        if version == 0 {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55, bytes[55] != UInt8(ascii: "-") {
            return nil
        }
        guard bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
            let high = Self.hex(bytes[3..<19]), let low = Self.hex(bytes[19..<35]), let parent = Self.hex(bytes[36..<52]),
            let flags = Self.hex(bytes[53..<55])
        else { return nil }
        self.init(traceHigh: high, traceLow: low, parentID: parent, flags: UInt8(flags))
    }

    /// A new trace, not sampled (LastMile records no spans of its own).
    public static func generate() -> TraceParent {
        TraceParent(traceHigh: TraceIDs.next(), traceLow: TraceIDs.next(), parentID: TraceIDs.next(), flags: 0)!
    }

    /// The same trace and flags under a new parent id: what a hop onward carries.
    public func child() -> TraceParent {
        TraceParent(traceHigh: traceHigh, traceLow: traceLow, parentID: TraceIDs.next(), flags: flags)!
    }

    /// Whether the caller may have recorded its part of the trace.
    public var isSampled: Bool { flags & Self.sampledFlag != 0 }

    /// The trace id: 32 lower-case hex digits, what log lines carry as `trace_id`.
    public var traceID: String {
        String(unsafeUninitializedCapacity: 32) { bytes in
            Self.write(traceHigh, digits: 16, into: bytes, at: 0)
            Self.write(traceLow, digits: 16, into: bytes, at: 16)
            return 32
        }
    }

    /// The parent id: 16 lower-case hex digits.
    public var parentIDText: String {
        String(unsafeUninitializedCapacity: 16) { bytes in
            Self.write(parentID, digits: 16, into: bytes, at: 0)
            return 16
        }
    }

    /// The header value: `00-<trace-id>-<parent-id>-<flags>`, written in one allocation (it goes on every call).
    public var header: String {
        String(unsafeUninitializedCapacity: 55) { bytes in
            let dash = UInt8(ascii: "-")
            Self.write(UInt64(Self.version), digits: 2, into: bytes, at: 0)
            bytes[2] = dash
            Self.write(traceHigh, digits: 16, into: bytes, at: 3)
            Self.write(traceLow, digits: 16, into: bytes, at: 19)
            bytes[35] = dash
            Self.write(parentID, digits: 16, into: bytes, at: 36)
            bytes[52] = dash
            Self.write(UInt64(flags), digits: 2, into: bytes, at: 53)
            return 55
        }
    }

    /// The header value.
    public var description: String { header }

    /// Decodes the header value.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = TraceParent(header: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a traceparent"))
        }
        self = parsed
    }

    /// Encodes the header value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(header)
    }

    /// Lower-case hex digits only (upper case is invalid in `traceparent`); nil for anything else.
    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    /// Writes the low `digits` hex digits of `value`, most significant first.
    private static func write(_ value: UInt64, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<digits {
            let nibble = UInt8((value >> UInt64(4 * (digits - 1 - index))) & 0xF)
            bytes[offset + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }
}

/// Ids for traces and spans: unique and unpredictable-looking without a system call each (they are not secrets), a
/// random per-process seed run through SplitMix64's bijective finaliser.
enum TraceIDs {
    private static let sequence = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// The next id; never zero.
    static func next() -> UInt64 {
        while true {
            let value = mix(sequence.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue)
            if value != 0 { return value }
        }
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
