import AsyncHTTPClient
import Contracts
import Foundation
import HTTPTypes
import Kernel
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServerKit

/// Calls one LastMile service's internal API over HTTP: ``RemoteOperation``s in, typed answers or typed errors out.
///
/// Every call has a deadline (``Settings/timeout``) and signs a fresh service token carrying the acting user; the
/// request id travels in `X-Request-Id` and the W3C trace context in `traceparent`, under a new parent id per try. A replica that cannot be reached is left out for a while and the call goes
/// to the next: at once when the request was never sent, and for ``RemoteOperation/repeatable`` operations also
/// when its outcome is unknown. When no replica answers in time the call throws ``ServiceUnavailable``.
public final class RemoteService: Sendable {
    /// How calls are paced.
    public struct Settings: Sendable {
        /// The longest a call may take, tries included.
        public var timeout: Duration = .seconds(10)
        /// Replicas tried at most per call.
        public var attempts = 3
        /// The largest answer read, in bytes.
        public var maxResponseBytes = 16 * 1024 * 1024

        /// Default settings.
        public init() {}
    }

    /// The HTTP client configuration service calls need: a short connect timeout, no redirects, and a failed
    /// connection reported at once rather than retried until the deadline (the call itself moves on to another
    /// replica).
    public static func httpConfiguration() -> HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(1)), connectionPool: pool)
    }

    /// The service called (`billing`): the audience of its tokens.
    public let service: String
    /// The service calling (`gateway`): the issuer of its tokens.
    public let caller: String
    private let replicas: Replicas
    private let http: HTTPClient
    private let keys: ServiceKeys
    private let settings: Settings
    private let logger: Logger

    /// A client of `service` at `baseURLs` (its replicas), calling as `caller`.
    public init(
        service: String, baseURLs: [String], caller: String, http: HTTPClient, keys: ServiceKeys, settings: Settings = Settings(),
        logger: Logger = Logger(label: "lastmile.clients")
    ) {
        self.service = service
        self.caller = caller
        self.replicas = Replicas(baseURLs: baseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        self.http = http
        self.keys = keys
        self.settings = settings
        self.logger = logger
    }

    /// Calls `operation` with `input`.
    public func call<Input, Output>(_ operation: RemoteOperation<Input, Output>, _ input: Input) async throws -> Output {
        let body = try RemoteCoding.encoder().encode(input)
        let deadline = NIODeadline.now() + TimeAmount(settings.timeout)
        var tried = Set<String>()
        // Outside a request the call is a trace of its own, its tries spans of that one.
        let trace = RequestMetadata.traceparent ?? TraceParent.generate()
        var lastFailure = "no replica is available"
        for _ in 0..<max(1, settings.attempts) {
            guard let replica = replicas.pick(excluding: tried), deadline > .now() else { break }
            tried.insert(replica)
            var request = HTTPClientRequest(url: replica + operation.path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(
                name: HTTPField.Name.serviceToken.rawName,
                value: try await keys.sign(issuer: caller, audience: service, actingUser: RequestMetadata.actingUser))
            if let requestID = RequestMetadata.requestID { request.headers.add(name: "X-Request-Id", value: requestID) }
            request.headers.add(name: "traceparent", value: trace.child().header)
            if let tracestate = RequestMetadata.tracestate { request.headers.add(name: "tracestate", value: tracestate) }
            request.body = .bytes(ByteBuffer(bytes: body))
            let response: HTTPClientResponse
            let answer: ByteBuffer
            do {
                response = try await http.execute(request, deadline: deadline, logger: logger)
                answer = try await response.body.collect(upTo: settings.maxResponseBytes)
            } catch {
                replicas.failed(replica)
                lastFailure = "\(replica): \(error)"
                if Self.neverSent(error) || operation.repeatable { continue }
                // The request may have taken effect: sending it again could do it twice.
                throw ServiceUnavailable(service: service, reason: "\(operation.name): outcome unknown: \(lastFailure)")
            }
            let data = Data(answer.readableBytesView)
            if (200..<300).contains(response.status.code) {
                replicas.succeeded(replica)
                do {
                    return try RemoteCoding.decoder().decode(Output.self, from: data)
                } catch {
                    throw ServiceUnavailable(service: service, reason: "\(operation.name): unreadable answer: \(error)")
                }
            }
            if let typed = RemoteErrors.decode(from: data) {
                replicas.succeeded(replica)
                throw typed
            }
            if let document = try? JSONDecoder().decode(ProblemDocument.self, from: data) {
                replicas.succeeded(replica)
                // A replica whose own dependency is down may be the only one: another may still answer a read.
                if response.status.code == 503, operation.repeatable { lastFailure = "\(replica): 503 \(document.code)"; continue }
                throw Problem(document, headers: Self.problemHeaders(response.headers))
            }
            // Not our API's answer: a proxy in between, or a process going away.
            replicas.failed(replica)
            lastFailure = "\(replica): HTTP \(response.status.code) without a problem document"
            if operation.repeatable || response.status == .serviceUnavailable { continue }
            throw ServiceUnavailable(service: service, reason: "\(operation.name): \(lastFailure)")
        }
        throw ServiceUnavailable(service: service, reason: "\(operation.name): \(lastFailure)")
    }

    /// Whether a failure happened before any byte of the request left: connecting failed.
    static func neverSent(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) { return true }
        return false
    }

    private static func problemHeaders(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for name in ["Retry-After", "WWW-Authenticate"] {
            if let value = headers.first(name: name), let field = HTTPField.Name(name) { fields[field] = value }
        }
        return fields
    }
}
