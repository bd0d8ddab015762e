import AsyncHTTPClient
import ClientHTTP
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP for provider adapters: one request with a deadline, its failures told as ``ProviderError``s by what they
/// mean for the money (never sent, or outcome unknown), and answers read up to a size limit.
public struct ProviderHTTPClient: Sendable {
    /// An answer.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// The body.
        public var body: [UInt8]
        /// The headers.
        public var headers: HTTPHeaders
    }

    private let client: HTTPClient
    private let timeout: TimeAmount
    /// The largest answer read.
    public static let maximumResponseBytes = 4 << 20

    /// Sends through `client` (shared, owned by the caller), each request given at most `timeout`.
    public init(client: HTTPClient, timeout: Duration) {
        self.client = client
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
    }

    /// The most connections kept open to one provider at once. A call spends its time waiting on the provider (up to
    /// seconds when it is slow), so this bounds the payments in flight, not the rate: with AsyncHTTPClient's default of
    /// 8, a slow provider made every further call queue past the connect deadline and fail without ever leaving.
    public static let maximumConnectionsPerProvider = 256

    /// A client configuration fit for providers: no redirects, a short connect timeout, connections not retried, up to
    /// ``maximumConnectionsPerProvider`` calls in flight per provider.
    public static func configuration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maximumConnectionsPerProvider
        return configuration
    }

    /// Sends one request; throws ``ProviderError/unreachable(_:)`` when it never left and
    /// ``ProviderError/outcomeUnknown(_:)`` when it may have been carried out.
    public func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws(ProviderError)
        -> Response
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maximumResponseBytes)
            return Response(status: Int(response.status.code), body: Array(buffer.readableBytesView), headers: response.headers)
        } catch {
            if HTTPFailure.neverSent(error) { throw .unreachable("\(method) \(Self.redacted(url)): \(error)") }
            throw .outcomeUnknown("\(method) \(Self.redacted(url)): \(error)")
        }
    }

    /// The URL without its query, which some providers' lookups carry.
    private static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
