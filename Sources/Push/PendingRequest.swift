import NIOCore
import NIOHPACK
import NIOHTTP2

/// One request from the moment a caller hands it to a connection until it has its answer or its failure.
///
/// Made on the caller's thread and handed to the connection's event loop, where all its state is touched from then on.
final class PendingRequest: @unchecked Sendable {
    let request: HTTP2Request
    let deadline: NIODeadline
    /// Names the request in errors (never a token).
    let what: String
    private let continuation: UnsafeContinuation<Result<HTTP2Response, PushError>, Never>
    /// The stream carrying it, once it has one.
    var streamID: HTTP2StreamID?
    /// The `HEADERS` frame could not be written: nothing of the request left.
    var writeFailed = false
    private(set) var finished = false
    private var status: Int?
    private var headers = HPACKHeaders()
    private var body: ByteBuffer?

    /// The largest answer body read; providers' error bodies are small JSON objects.
    static let maximumResponseBytes = 64 << 10

    /// Resumes `continuation` exactly once: with the answer, or with the failure; the deadline (watched by the
    /// connection) guarantees it.
    init(
        request: HTTP2Request, continuation: UnsafeContinuation<Result<HTTP2Response, PushError>, Never>, deadline: NIODeadline, what: String
    ) {
        self.request = request
        self.continuation = continuation
        self.deadline = deadline
        self.what = what
    }

    /// Takes a `HEADERS` frame of the answer; true when it ends the stream.
    func received(headers frame: HTTP2Frame.FramePayload.Headers) -> Bool {
        if status == nil, let code = frame.headers.first(name: ":status").flatMap({ Int($0) }), code >= 200 {
            status = code
            for (name, value, _) in frame.headers where !name.hasPrefix(":") { headers.add(name: name, value: value) }
        }
        return frame.endStream
    }

    /// Takes a `DATA` frame of the answer; true when it ends the stream.
    func received(data frame: HTTP2Frame.FramePayload.Data) -> Bool {
        if case .byteBuffer(var chunk) = frame.data, (body?.readableBytes ?? 0) < Self.maximumResponseBytes {
            if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        }
        return frame.endStream
    }

    /// The answer is complete.
    func complete() {
        guard !finished else { return }
        guard let status else {
            fail(.outcomeUnknown, "the stream ended without a status")
            return
        }
        finished = true
        continuation.resume(returning: .success(HTTP2Response(status: status, headers: headers, body: body ?? ByteBuffer())))
    }

    /// Fails the request, unless it is finished.
    func fail(_ code: PushError.Code, _ reason: String) {
        guard !finished else { return }
        finished = true
        continuation.resume(returning: .failure(PushError(code, "\(what): \(reason)")))
    }
}
