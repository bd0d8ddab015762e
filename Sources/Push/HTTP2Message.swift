import NIOCore
import NIOHPACK

/// One request to a provider over HTTP/2.
struct HTTP2Request: Sendable {
    /// The pseudo-headers and headers, `:method`, `:path`, `:scheme` and `:authority` first.
    var headers: HPACKHeaders
    /// The body, if any.
    var body: ByteBuffer?

    /// A request for `path` on `authority` with the headers given after the pseudo-headers.
    init(method: String, path: String, authority: String, headers: [(String, String)], body: ByteBuffer?) {
        self.init(method: method, path: path, authority: authority, capacity: headers.count + 5)
        for (name, value) in headers { self.headers.add(name: name, value: value) }
        if let body { setBody(body) }
    }

    /// A request with its pseudo-headers only, room for `capacity` headers; add the others to ``headers``.
    init(method: String, path: String, authority: String, capacity: Int) {
        headers = HPACKHeaders()
        headers.reserveCapacity(capacity)
        headers.add(name: ":method", value: method)
        headers.add(name: ":path", value: path)
        headers.add(name: ":scheme", value: "https")
        headers.add(name: ":authority", value: authority)
    }

    /// Sets the body and its `content-length`.
    mutating func setBody(_ body: ByteBuffer) {
        headers.add(name: "content-length", value: String(body.readableBytes))
        self.body = body
    }
}

/// A provider's answer.
struct HTTP2Response: Sendable {
    /// The `:status`.
    var status: Int
    /// The headers, pseudo-headers left out.
    var headers: HPACKHeaders
    /// The body, up to ``HTTP2RequestHandler/maximumResponseBytes``.
    var body: ByteBuffer
}
