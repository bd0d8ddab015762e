import Contracts
import Support
import Testing

@Suite("SLA policy from settings")
struct SLAPolicySettingsTests {
    @Test func entriesReplaceTheirPriorityAndKeepTheRest() throws {
        let policy = try SLAPolicy(settings: "urgent 10m/20m/2h 24/7; high 30m/1h/6h", warning: "30m")
        #expect(policy.targets[.urgent] == SLATargets(firstResponseMinutes: 10, nextResponseMinutes: 20, resolutionMinutes: 120, roundTheClock: true))
        #expect(policy.targets[.high] == SLATargets(firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 360, roundTheClock: false))
        #expect(policy.targets[.low] == SLAPolicy.ispDefault.targets[.low])
        #expect(policy.warning == .minutes(30))
        #expect(try SLAPolicy(settings: "low 1d/2d/5d", warning: "25%").warning == .fraction(0.25))
        #expect(try SLAPolicy(settings: "", warning: nil) == SLAPolicy.ispDefault)
    }

    @Test func aWrongEntryIsNamed() {
        let cases: [(String, String?, String, Bool)] = [
            ("critical 1h/2h/3h", nil, "critical 1h/2h/3h", false),
            ("high 1h/2h", nil, "high 1h/2h", false),
            ("high 1x/2h/3h", nil, "high 1x/2h/3h", false),
            ("high 5h/2h/3h", nil, "high 5h/2h/3h", false),
            ("high 1h/2h/3h always", nil, "high 1h/2h/3h always", false),
            ("high 1h/2h/100d", nil, "high 1h/2h/100d", false),
            ("", "half", "half", true),
            ("", "95%", "95%", true),
        ]
        for (targets, warning, entry, inWarning) in cases {
            #expect(throws: SLAPolicySettingsError.self) { try SLAPolicy(settings: targets, warning: warning) }
            do {
                _ = try SLAPolicy(settings: targets, warning: warning)
            } catch {
                #expect(error.entry == entry && error.inWarning == inWarning)
            }
        }
    }
}
