/// An error raised while encoding or decoding AMQP 0-9-1 wire data.
public enum AMQPCodecError: Error, Equatable, Sendable {
    /// A short string (method argument, table key or property) is longer than 255 bytes.
    case shortStringTooLong(length: Int)
    /// A value inside a complete frame ended before its declared content.
    case truncated
    /// The octet after the frame payload was not the frame-end octet 0xCE.
    case invalidFrameEnd(UInt8)
    /// The frame type octet is not method (1), header (2), body (3) or heartbeat (8).
    case unknownFrameType(UInt8)
    /// The frame, including its 7-byte header and end octet, exceeds the negotiated frame-max.
    case frameTooLarge(size: Int, limit: Int)
    /// A field table or array holds a value with a type tag this codec does not know.
    case unknownFieldType(UInt8)
    /// The class and method ids do not name a method this codec knows.
    case unknownMethod(classID: UInt16, methodID: UInt16)
    /// The peer answered with a protocol header instead of a frame: it does not speak AMQP 0-9-1.
    case unsupportedProtocol(major: UInt8, minor: UInt8, revision: UInt8)
}
