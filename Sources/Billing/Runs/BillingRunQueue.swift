import Foundation
import Kernel
import Logging
import ServiceLifecycle

/// Hands runs started through the API to the worker that executes them.
final class BillingRunQueue: Sendable {
    struct Request: Sendable {
        let runID: String
        let period: BillingPeriod
        let dryRun: Bool
    }

    let stream: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Request.self)
    }

    func enqueue(_ request: Request) { continuation.yield(request) }
}

/// Executes the monthly runs started with ``BillingService/startBillingRun(period:dryRun:by:)``. List it in the
/// process's service group; without it, started runs wait (and an abandoned one is resumed by the next start).
public struct BillingRunWorker: Service {
    private let billing: BillingService

    /// Creates the worker of a billing service.
    public init(billing: BillingService) { self.billing = billing }

    /// Runs until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await request in billing.runs.stream {
                _ = try? await billing.execute(runID: request.runID, period: request.period, dryRun: request.dryRun, progress: { _ in })
            }
        }
    }
}
