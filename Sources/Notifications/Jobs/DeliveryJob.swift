import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Routes new notifications and sends due deliveries: a pass at every wake (an event brought notifications) and
/// every second besides (quiet hours ending, retries falling due, work from other processes). Any number of
/// notification processes may run it: rows are claimed, never shared.
public struct DeliveryJob: Service {
    private let notifications: NotificationsService
    private let interval: Duration

    /// Creates the job of a notification service.
    public init(notifications: NotificationsService, interval: Duration = .seconds(1)) {
        self.notifications = notifications
        self.interval = interval
    }

    /// Routes and sends, then waits, until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while !Task.isCancelled {
                        let routed = try await notifications.routePending()
                        let sent = try await notifications.sendDue()
                        if routed == 0 && sent == 0 { break }
                    }
                } catch {
                    notifications.logger.error("notification pass failed", metadata: ["error": "\(error)"])
                }
                do {
                    _ = try await notifications.checkFates()
                } catch {
                    notifications.logger.warning("asking providers of delivery failed", metadata: ["error": "\(error)"])
                }
                await notifications.wake.wait(timeout: interval)
            }
        }
    }
}
