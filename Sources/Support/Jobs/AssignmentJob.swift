import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Finds operators for waiting tickets: a pass at every wake (a new ticket, an operator online, a ticket handed
/// back) and every few seconds besides, for wakes from other processes. Any number of support processes may run it;
/// passes take the desk's assignment lock one at a time.
public struct AssignmentJob: Service {
    private let support: SupportService
    private let interval: Duration

    /// Creates the job of a support service.
    public init(support: SupportService, interval: Duration = .seconds(2)) {
        self.support = support
        self.interval = interval
    }

    /// Assigns, then waits, until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await support.assignWaiting() > 0, !Task.isCancelled {}
                } catch {
                    support.logger.error("ticket assignment pass failed", metadata: ["error": "\(error)"])
                }
                await support.assignmentSignal.wait(timeout: interval)
            }
        }
    }
}
