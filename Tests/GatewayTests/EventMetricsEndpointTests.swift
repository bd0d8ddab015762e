import Billing
import Contracts
import Customers
import Foundation
import Kernel
import Platform
import ServerKit
import Testing

/// The event metrics on the registry `/metrics` renders, with events delivered in process.
@Suite("Event metrics on /metrics")
struct EventMetricsEndpointTests {
    @Test func theEventMetricsAppearAndMoveWithEvents() async throws {
        try await TestPlatform.with(backgroundWork: true) { harness, _ in
            let metrics = harness.platform.metrics
            let before = metrics.render()
            for consumer in ["customers.timeline", "billing.open-account"] {
                #expect(before.contains(#"events_consumer_handled_total{consumer="\#(consumer)"} 0"#))
                #expect(before.contains(#"events_consumer_failures_total{consumer="\#(consumer)"} 0"#))
                #expect(before.contains(#"events_consumer_lag_seconds_count{consumer="\#(consumer)"} 0"#))
            }
            #expect(before.contains(#"events_relay_failures_total{reason="unavailable"} 0"#))
            #expect(before.contains("events_relay_set_aside_total 0"))
            #expect(!before.contains("events_broker_connected"), "no broker in process")

            // customer.created reaches billing's consumer, which opens the account.
            let user = try await harness.user(.customer)
            let customer = try await harness.platform.localCustomers!.createCustomer(
                NewCustomer(
                    userId: user.id, fullName: "Петров Пётр Петрович", phone: "+79161234567", email: user.email,
                    address: PostalAddress(city: "Москва", street: "ул. Тверская", building: "7", apartment: "15")),
                by: nil)
            // The consumer commits first; the relay counts the event once the transport returns.
            let handled = #"events_consumer_handled_total{consumer="billing.open-account"} 1"#
            let published = #"events_published_total{type="customer.created"} 1"#
            var text = metrics.render()
            let noBatch = "events_relay_batches_total 0"
            for _ in 0..<200 where !(text.contains(handled) && text.contains(published) && !text.contains(noBatch)) {
                try await Task.sleep(for: .milliseconds(25))
                text = metrics.render()
            }
            #expect(text.contains(handled))
            #expect(text.contains(published))
            #expect(text.contains(#"events_consumer_lag_seconds_count{consumer="billing.open-account"} 1"#))
            #expect(text.contains(#"events_consumer_lag_seconds_bucket{consumer="billing.open-account",le="60.0"} 1"#))
            #expect(!text.contains(noBatch))
            #expect(text.contains("events_outbox_pending "))
            #expect(try await harness.platform.localBilling!.balance(of: .customer(customer.id)).balance.minorUnits == 0, "the account was opened")
        }
    }
}
