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
        var all = HPACKHeaders()
        all.reserveCapacity(headers.count + 5)
        all.add(name: ":method", value: method)
        all.add(name: ":path", value: path)
        all.add(name: ":scheme", value: "https")
        all.add(name: ":authority", value: authority)
        for (name, value) in headers { all.add(name: name, value: value) }
        if let body { all.add(name: "content-length", value: String(body.readableBytes)) }
        self.headers = all
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
