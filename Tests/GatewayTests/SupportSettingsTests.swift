import Foundation
import Platform
import Support
import Testing

@Suite("Support settings from the environment")
struct SupportEnvironmentSettingsTests {
    private func load(_ values: [String: String]) async throws -> PlatformSettings {
        try await PlatformSettings.load(overrides: values, environmentFile: "/nonexistent/.env")
    }

    @Test func workingHoursCalendarAndAttachmentsAreRead() async throws {
        let settings = try await load([
            "LASTMILE_SUPPORT_WORKING_HOURS": "mon-fri 08:00-20:00; sat 10:00-16:00", "LASTMILE_SUPPORT_CALENDAR": "2027-01-11 off",
            "LASTMILE_SUPPORT_ATTACHMENTS": "database", "LASTMILE_SUPPORT_AUTO_CLOSE_DAYS": "14",
            "LASTMILE_SUPPORT_ATTACHMENT_MAX_BYTES": "2097152", "LASTMILE_SUPPORT_SLA": "urgent 10m/20m/2h 24/7",
            "LASTMILE_SUPPORT_SLA_WARNING": "25%",
        ])
        #expect(settings.support.workingHours == (try WorkingHours(parsing: "mon-fri 08:00-20:00; sat 10:00-16:00")))
        #expect(settings.supportAttachments == .database)
        #expect(settings.support.autoCloseDays == 14)
        #expect(settings.support.maximumAttachmentBytes == 2 << 20)
        #expect(settings.support.slaPolicy == (try SLAPolicy(settings: "urgent 10m/20m/2h 24/7", warning: "25%")))
        let calendar = WorkingCalendar(timeZone: settings.support.timeZone, hours: .officeDays, production: settings.support.productionCalendar)
        // Monday 11 January 2027, noon in Moscow, is a day off by the operator's entry.
        #expect(!calendar.isWorking(at: Date(timeIntervalSince1970: 1_799_658_000)))
    }

    @Test func badValuesNameTheirSetting() async throws {
        let cases = [
            ("LASTMILE_SUPPORT_WORKING_HOURS", "mon-fri 25:00-18:00"), ("LASTMILE_SUPPORT_CALENDAR", "2027-13-40 off"),
            ("LASTMILE_SUPPORT_ATTACHMENTS", "s3"), ("LASTMILE_SUPPORT_AUTO_CLOSE_DAYS", "0"), ("LASTMILE_SUPPORT_ATTACHMENT_MAX_BYTES", "1"),
            ("LASTMILE_SUPPORT_SLA", "urgent soon"), ("LASTMILE_SUPPORT_SLA_WARNING", "often"),
        ]
        for (key, value) in cases {
            do {
                _ = try await load([key: value])
                Issue.record("accepted \(key)=\(value)")
            } catch let error as SettingsError {
                #expect(error.key == key)
            }
        }
    }
}
