import NIOCore

/// The eight octets a client sends first on a new connection: `AMQP` 0 0 9 1.
public enum AMQPProtocolHeader {
    /// The protocol header bytes for AMQP 0-9-1.
    public static let bytes: [UInt8] = [UInt8(ascii: "A"), UInt8(ascii: "M"), UInt8(ascii: "Q"), UInt8(ascii: "P"), 0, 0, 9, 1]

    /// Writes the protocol header.
    public static func encode(into buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes)
    }
}
