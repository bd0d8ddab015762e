import NIOCore

/// Decodes frames from a byte stream: returns nil without consuming anything until a whole frame is buffered.
///
/// A pure value with no I/O; the channel handler wraps it in a `NIOSingleStepByteToMessageProcessor`.
public struct AMQPFrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// The decoder produces frames.
    public typealias InboundOut = AMQPFrame

    /// The largest frame accepted, including the 8 bytes of framing, as negotiated by connection.tune; 0 means no limit.
    public var frameMax: UInt32

    /// Creates a decoder; before tuning the limit is RabbitMQ's default frame-max of 128 KiB.
    public init(frameMax: UInt32 = 131_072) {
        self.frameMax = frameMax
    }

    /// Decodes one frame, or returns nil leaving `buffer` untouched when the frame is not yet complete.
    public mutating func decode(buffer: inout ByteBuffer) throws -> AMQPFrame? {
        let start = buffer.readerIndex
        guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
        if type == UInt8(ascii: "A") {
            // A broker that does not speak 0-9-1 answers with its own protocol header and closes.
            guard let header = buffer.getBytes(at: start, length: 8) else { return nil }
            throw AMQPCodecError.unsupportedProtocol(major: header[5], minor: header[6], revision: header[7])
        }
        guard let channel = buffer.getInteger(at: start + 1, as: UInt16.self),
            let size = buffer.getInteger(at: start + 3, as: UInt32.self)
        else { return nil }
        let total = AMQPFrame.overhead + Int(size)
        if frameMax != 0 && total > Int(frameMax) {
            throw AMQPCodecError.frameTooLarge(size: total, limit: Int(frameMax))
        }
        guard buffer.readableBytes >= total else { return nil }
        let end = buffer.getInteger(at: start + total - 1, as: UInt8.self)!
        guard end == AMQPFrame.frameEnd else { throw AMQPCodecError.invalidFrameEnd(end) }
        var payload = buffer.getSlice(at: start + 7, length: Int(size))!
        let frame = try AMQPFrame.decodePayload(type: type, channel: channel, payload: &payload)
        buffer.moveReaderIndex(forwardBy: total)
        return frame
    }

    /// Decodes what remains at end of stream; a partial frame left over is simply not returned.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> AMQPFrame? {
        try decode(buffer: &buffer)
    }
}
