import Blobs
import Messaging
import ServerKit
import ServiceKit
import ServiceLifecycle
import Storage

extension SupportService: PlatformService {
    /// `support`.
    public var name: String { "support" }
    /// Tickets, messages, operators, rules, outages; the `blobs` table of attachments kept in the database.
    public var migrations: [MigrationSet] { [SupportMigrations.set, BlobsMigrations.set] }
    /// Ticket updates from billing; outages from monitoring.
    public var consumers: [EventConsumer] { [billingEventsConsumer(), incidentsConsumer()] }

    /// Clears files a crash left half-written in a directory of attachments.
    public func start() async throws {
        if let directory = blobs as? DirectoryBlobStore { _ = try await directory.removeAbandonedTemporaryFiles() }
    }

    /// The assigner in every process (passes take a lock); with `schedules`, closing resolved tickets and the SLA
    /// watch.
    public func backgroundWork(schedules: Bool) -> [any Service] {
        var work: [any Service] = [AssignmentJob(support: self)]
        if schedules { work += [AutoCloseJob(support: self), SLAWatchJob(support: self)] }
        return work
    }

    /// ``SupportInternalRoutes``.
    public func registerInternalRoutes(on router: SecureRouter) {
        SupportInternalRoutes(support: self, maxAttachmentBytes: settings.maximumAttachmentBytes).register(on: router)
    }
}
