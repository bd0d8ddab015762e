import NIOCore

/// Collects the content that follows basic.deliver, basic.return or basic.get-ok: one header frame, then body frames
/// until the header's body size is reached.
struct AMQPContentAssembler {
    /// The method the content belongs to.
    let method: AMQPMethod
    private var header: AMQPContentHeader?
    private var body = ByteBuffer()

    init(method: AMQPMethod) {
        self.method = method
    }

    /// The whole message once its last byte arrived, else nil.
    private var complete: AMQPMessage? {
        guard let header, UInt64(body.readableBytes) == header.bodySize else { return nil }
        return AMQPMessage(properties: header.properties, body: body)
    }

    /// Takes the content header; an empty body completes the message at once.
    mutating func receive(header: AMQPContentHeader) throws(AMQPError) -> AMQPMessage? {
        guard self.header == nil else { throw .protocolError("a second content header arrived for one message") }
        guard header.classID == method.classID else { throw .protocolError("content header of class \(header.classID) for a basic method") }
        self.header = header
        return complete
    }

    /// Takes one body frame's bytes.
    mutating func receive(body chunk: ByteBuffer) throws(AMQPError) -> AMQPMessage? {
        guard let header else { throw .protocolError("a body frame arrived before its content header") }
        guard UInt64(body.readableBytes + chunk.readableBytes) <= header.bodySize else {
            throw .protocolError("body frames exceed the announced body size of \(header.bodySize) bytes")
        }
        if body.readableBytes == 0 {
            body = chunk  // the usual single-frame body is kept as it came, without a copy
        } else {
            var chunk = chunk
            body.writeBuffer(&chunk)
        }
        return complete
    }
}
