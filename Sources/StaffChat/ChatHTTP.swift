import AsyncHTTPClient
import ClientHTTP
import Foundation
import NIOCore
import NIOHTTP1

/// One JSON POST with a deadline, its failures told by whether the request left. The URL is a secret (a webhook's, or
/// one holding a bot token): errors name only `label`.
struct ChatHTTP: Sendable {
    /// An answer.
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    let client: HTTPClient
    let timeout: TimeAmount
    /// The most of an answer read.
    static let maximumAnswerBytes = 64 * 1024

    init(client: HTTPClient, timeout: Duration) {
        self.client = client
        let components = timeout.components
        self.timeout = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }

    func postJSON(_ url: String, body: [UInt8], label: String) async throws(StaffChatError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: body))
        // The host is no secret; the path (a webhook's key, a bot's token) is.
        let label = "\(label) at \(URLComponents(string: url)?.host ?? "?")"
        do {
            let response = try await client.execute(request, timeout: timeout)
            let answer = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Array(answer.readableBytesView))
        } catch {
            // The error's own text may quote the URL: only its type is told.
            if HTTPFailure.neverSent(error) { throw .unreachable("\(label): \(type(of: error))") }
            throw .outcomeUnknown("\(label): \(Self.safeDescription(error))")
        }
    }

    /// A description of `error` that cannot hold the URL.
    static func safeDescription(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded { return "deadline exceeded" }
            if error == .remoteConnectionClosed { return "connection closed" }
            if error == .readTimeout { return "read timeout" }
        }
        return String(describing: type(of: error))
    }
}
