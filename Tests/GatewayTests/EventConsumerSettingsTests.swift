import Messaging
import Platform
import Testing

/// `LASTMILE_EVENTS_PREFETCH`, `LASTMILE_EVENTS_DELIVERY_LIMIT` and `LASTMILE_EVENTS_CONSUMER_BATCH`.
@Suite("Event consumer settings")
struct EventConsumerSettingsTests {
    private func load(_ values: [String: String]) async throws -> AMQPEventConsumerRunner.Settings {
        try await PlatformSettings.load(overrides: values, environmentFile: "/nonexistent/.env").eventConsumers
    }

    @Test func theDefaultsAreTheRunnersOwn() async throws {
        let settings = try await load([:])
        let defaults = AMQPEventConsumerRunner.Settings()
        #expect(settings.prefetch == defaults.prefetch && settings.deliveryLimit == defaults.deliveryLimit)
        #expect(settings.batchSize == defaults.batchSize && settings.deliveryLimit == 5)
    }

    @Test func valuesInRangeAreTaken() async throws {
        let settings = try await load([
            "LASTMILE_EVENTS_PREFETCH": "200", "LASTMILE_EVENTS_DELIVERY_LIMIT": "3", "LASTMILE_EVENTS_CONSUMER_BATCH": "50",
        ])
        #expect(settings.prefetch == 200 && settings.deliveryLimit == 3 && settings.batchSize == 50)
    }

    @Test func anUnsetBatchShrinksToASmallPrefetch() async throws {
        #expect(try await load(["LASTMILE_EVENTS_PREFETCH": "10"]).batchSize == 10)
    }

    @Test(arguments: [
        ("LASTMILE_EVENTS_PREFETCH", "0"), ("LASTMILE_EVENTS_PREFETCH", "65536"), ("LASTMILE_EVENTS_DELIVERY_LIMIT", "0"),
        ("LASTMILE_EVENTS_DELIVERY_LIMIT", "1001"), ("LASTMILE_EVENTS_CONSUMER_BATCH", "0"), ("LASTMILE_EVENTS_CONSUMER_BATCH", "1001"),
    ])
    func valuesOutOfRangeAreRefusedByName(key: String, value: String) async throws {
        let error = await #expect(throws: SettingsError.self) { try await load([key: value]) }
        #expect(error?.key == key)
    }
}
