import Billing
import Testing

@Test func billingModuleLinks() {
    #expect(String(describing: BillingModule.self) == "BillingModule")
}
