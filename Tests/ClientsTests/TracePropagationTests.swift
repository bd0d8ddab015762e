import Clients
import Contracts
import Customers
import Foundation
import Kernel
import ServerKit
import Storage
import Synchronization
import TestSupport
import Testing

/// A request's id and W3C trace context cross an HTTP hop to another service, and on into the events that service
/// writes while serving it.
@Suite("Request id and trace across hops")
struct TracePropagationTests {
    /// What the called side saw.
    struct Seen: Codable, Sendable {
        var requestID: String?
        var traceparent: TraceParent?
        var tracestate: String?
    }

    static let echo = RemoteOperation<NoContent, Seen>(service: "echo", name: "trace", repeatable: true)

    static func serveEcho(_ body: @escaping @Sendable (RemoteService) async throws -> Void) async throws {
        try await ServedEndpoint.serve(
            service: "echo",
            routes: { router in
                InternalRoutes(router: router, service: "echo").on(Self.echo) { _, _ in
                    Seen(requestID: RequestMetadata.requestID, traceparent: RequestMetadata.traceparent, tracestate: RequestMetadata.tracestate)
                }
            },
            { remote, _ in try await body(remote) })
    }

    @Test("A call carries the request id and the trace, each try under a new parent id")
    func callsCarryTheRequest() async throws {
        try await Self.serveEcho { remote in
            let request = TraceContext(requestID: "req-hop-1", traceparent: TraceParent.generate(), tracestate: "vendor=opaque,other=1")
            let (first, second) = try await TraceContext.$current.withValue(request) {
                (try await remote.call(Self.echo, NoContent()), try await remote.call(Self.echo, NoContent()))
            }
            for seen in [first, second] {
                #expect(seen.requestID == "req-hop-1")
                #expect(seen.traceparent?.traceID == request.traceparent.traceID)
                #expect(seen.traceparent?.parentID != request.traceparent.parentID)
                #expect(seen.tracestate == "vendor=opaque,other=1")
            }
            #expect(first.traceparent?.parentID != second.traceparent?.parentID)
        }
    }

    @Test("A call made outside any request starts a trace of its own and gets a request id there")
    func callsOutsideARequest() async throws {
        try await Self.serveEcho { remote in
            let first = try await remote.call(Self.echo, NoContent())
            let second = try await remote.call(Self.echo, NoContent())
            let firstID = try #require(first.requestID)
            #expect(RequestIDMiddleware.isAcceptable(firstID))
            #expect(first.traceparent != nil && second.traceparent != nil)
            #expect(first.traceparent?.traceID != second.traceparent?.traceID)
            #expect(first.tracestate == nil)
        }
    }

    @Test("An event the called service writes carries the caller's request")
    func eventsOfTheCalledServiceCarryTheRequest() async throws {
        try await CustomersEndpoint.with(.remote) { endpoint in
            let request = TraceContext(requestID: "req-hop-2", traceparent: TraceParent.generate())
            _ = try await TraceContext.$current.withValue(request) {
                try await endpoint.api.createCustomer(CustomersEndpoint.newCustomer(), by: "op-1")
            }
            let item = try #require(
                try await OutboxStore(database: endpoint.database).claim(limit: 10, owner: "test", lease: 60, now: Date()).first)
            #expect(item.envelope.type == CustomerCreated.type)
            let trace = try #require(item.envelope.trace)
            #expect(trace.requestID == "req-hop-2")
            #expect(trace.traceparent.traceID == request.traceparent.traceID)
        }
    }
}
