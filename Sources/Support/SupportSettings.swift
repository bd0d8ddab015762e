import Foundation
import Kernel

/// Tunables of the support service; defaults are the production values.
public struct SupportSettings: Sendable {
    /// The support desk's time zone: working hours, the SLA calendar, days in messages.
    public var timeZone = TimeZone.moscow
    /// Days after resolution when a ticket closes by itself (`LASTMILE_SUPPORT_AUTO_CLOSE_DAYS`).
    public var autoCloseDays = 7
    /// The most open tickets an operator holds when their own limit is not set.
    public var defaultMaximumOpenTickets = 20
    /// The largest attachment (`LASTMILE_SUPPORT_ATTACHMENT_MAX_BYTES`, 10 MiB by default).
    public var maximumAttachmentBytes = 10 << 20
    /// The most attachments one ticket carries.
    public var maximumAttachmentsPerTicket = 20

    /// The desk's working hours, which SLA targets in working time count (`LASTMILE_SUPPORT_WORKING_HOURS`, such as
    /// `mon-fri 09:00-18:00; sat 10:00-16:00` or `24/7`).
    public var workingHours = WorkingHours.officeDays
    /// Public holidays, moved and shortened days (`LASTMILE_SUPPORT_CALENDAR` adds the operator's entries to the
    /// built-in Russian calendar).
    public var productionCalendar = ProductionCalendar.russia
    /// Where customers reach the platform: rating links in resolution messages start with it.
    public var publicBaseURL = "http://localhost:8080"
    /// The SLA targets per priority.
    public var slaPolicy = SLAPolicy.ispDefault

    /// Production defaults.
    public init() {}
}
