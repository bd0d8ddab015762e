import Foundation
import Support
import Testing

@Suite("Support settings")
struct SupportSettingsTests {
    @Test func defaultsAreTheProductionValues() {
        let settings = SupportSettings()
        #expect(settings.timeZone.identifier == "Europe/Moscow")
        #expect(settings.autoCloseDays == 7)
    }
}
