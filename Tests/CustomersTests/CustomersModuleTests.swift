import Customers
import Testing

@Test func customersModuleLinks() {
    #expect(String(describing: CustomersModule.self) == "CustomersModule")
}
