import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Registers a service's internal API: each ``RemoteOperation`` answered by a handler that calls the service's
/// `Contracts` object, reachable only with a service token meant for that service.
///
/// The body is the operation's input and the answer its output, in ``RemoteCoding``. A refusal is problem+json; a
/// ``RemoteError`` also travels as itself, so the client throws the same typed error the local object would have.
public struct InternalRoutes {
    /// The router the routes go on.
    public let router: SecureRouter
    /// The service they belong to; tokens must name it as their audience.
    public let service: String

    /// Creates a registrar for `service`'s routes on `router`.
    public init(router: SecureRouter, service: String) {
        self.router = router
        self.service = service
    }

    /// Answers `operation` with `handler`, which gets the decoded input and the verified caller. `maxBodyBytes`
    /// raises the process's body limit for an operation that carries files.
    public func on<Input, Output>(
        _ operation: RemoteOperation<Input, Output>, maxBodyBytes: Int? = nil,
        _ handler: @escaping @Sendable (Input, ServiceCaller) async throws -> Output
    ) {
        precondition(operation.service == service, "operation \(operation.path) registered on \(service)'s routes")
        router.post(RouterPath(operation.path), access: .service(service), class: .infrastructure) { request, context -> Response in
            // The access check let only a verified caller through.
            guard let caller = context.serviceCaller else { throw Problem.unauthorized() }
            var context = context
            if let maxBodyBytes { context.maxUploadSize = maxBodyBytes }
            let buffer = try await request.collectJSONBody(context: context)
            let input: Input
            do {
                input = try RemoteCoding.decoder().decode(Input.self, from: Data(buffer.readableBytesView))
            } catch let error as DecodingError {
                throw Problem(error)
            }
            let output: Output
            do {
                output = try await handler(input, caller)
            } catch let error as any RemoteError {
                guard let problem = error.problem else { throw error }
                return try Self.refusal(error, problem: problem, request: request, context: context)
            }
            let body = try RemoteCoding.encoder().encode(output)
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    private static func refusal(_ error: any RemoteError, problem: Problem, request: Request, context: AppRequestContext) throws -> Response {
        let document = ProblemDocument(problem, instance: request.uri.path, requestID: context.requestID.isEmpty ? nil : context.requestID)
        var fields = problem.headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        let body = try RemoteErrors.body(for: error, document: document)
        return Response(status: problem.status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
