import NIOCore

extension AMQPFrame {
    /// The frames that carry one content-bearing method: the method, the content header, then the body cut into chunks
    /// that fit `maxBodyChunk` (none for an empty body).
    static func content(channel: UInt16, method: AMQPMethod, message: AMQPMessage, maxBodyChunk: Int) -> [AMQPFrame] {
        var body = message.body
        let header = AMQPContentHeader(classID: method.classID, bodySize: UInt64(body.readableBytes), properties: message.properties)
        var frames = [AMQPFrame(channel: channel, payload: .method(method)), AMQPFrame(channel: channel, payload: .header(header))]
        frames.reserveCapacity(2 + (body.readableBytes + maxBodyChunk - 1) / max(maxBodyChunk, 1))
        while body.readableBytes > 0, let chunk = body.readSlice(length: min(maxBodyChunk, body.readableBytes)) {
            frames.append(AMQPFrame(channel: channel, payload: .body(chunk)))
        }
        return frames
    }
}
