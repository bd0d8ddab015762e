import Contracts
import Hummingbird
import Kernel
import NIOCore
import ServerKit

/// `/api/v1/billing/*`: the personal account's money (seed flows 2 and 3). Every call names the account by
/// the signed-in user, so a customer reaches only their own objects.
struct BillingRoutes: Sendable {
    let billing: any BillingAPI
    let customers: any CustomersAPI

    /// The headers of a provider's notification passed on to billing (signatures; lowercase).
    static let notificationHeaders: Set<String> = ["x-sandbox-signature", "x-provider-signature", "content-type"]

    /// A provider payment's order with the customer's own e-mail and phone for its fiscal receipt when it names
    /// neither; unchanged when the customer card cannot be read (billing then uses the contact it kept).
    func withReceiptContact(_ order: PaymentOrder, userID: String) async -> PaymentOrder {
        guard order.method == .provider, order.receiptEmail == nil, order.receiptPhone == nil,
            let customer = try? await customers.customer(userID: userID)
        else { return order }
        var order = order
        order.receiptEmail = customer.email
        order.receiptPhone = customer.email == nil ? customer.phone : nil
        return order
    }

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/billing")
        let own = RouteAccess.permission(.ownCustomerData)
        group.get("invoices", access: own, class: .api) { request, context in
            try await InvoiceOverview.load(
                userID: try context.requireIdentity().userID, page: try request.pageRequest(), billing: billing, customers: customers,
                logger: context.logger)
        }
        group.get("invoices/{id}", access: own, class: .api) { _, context in
            try await billing.invoice(id: try context.parameters.require("id"), of: try context.owner())
        }
        group.get("balance", access: own, class: .api) { _, context in
            try await billing.balance(of: try context.owner())
        }
        group.get("transactions", access: own, class: .api) { request, context in
            try await billing.transactions(of: try context.owner(), page: try request.pageRequest())
        }
        group.get("subscriptions", access: own, class: .api) { _, context in
            ItemList(items: try await billing.subscriptions(of: try context.owner()))
        }
        group.get("tariffs", access: .anonymous, class: .api) { _, _ in
            ItemList(items: try await billing.tariffs(includeArchived: false))
        }
        group.post("tariff-change/preview", access: own, class: .api) { request, context in
            let change = try await request.decodeJSON(TariffChange.self, context: context)
            return try await billing.previewTariffChange(of: try context.owner(), change)
        }
        group.post("tariff-change", access: own, class: .api) { request, context in
            let input = try await request.decodeIdempotent(
                TariffChange.self, route: "billing.tariff-change", callerID: try context.requireIdentity().userID, context: context)
            return try await billing.changeTariff(of: try context.owner(), input.body, idempotency: input.token)
        }
        group.post("pause", access: own, class: .api) { request, context in
            let input = try await request.decodeIdempotent(
                SubscriptionPause.self, route: "billing.pause", callerID: try context.requireIdentity().userID, context: context)
            return try await billing.pause(of: try context.owner(), input.body, idempotency: input.token)
        }
        group.get("promised-payment", access: own, class: .api) { _, context in
            try await billing.promisedPaymentOffer(of: try context.owner())
        }
        group.post("promised-payment", access: own, class: .api) { request, context in
            let input = try await request.decodeIdempotent(
                PromisedPaymentBody.self, route: "billing.promised-payment", callerID: try context.requireIdentity().userID,
                context: context)
            return try await created(billing.takePromisedPayment(of: try context.owner(), amount: input.body.amount, idempotency: input.token))
        }
        group.post("pay", access: own, class: .api) { request, context in
            let input = try await request.decodeIdempotent(
                PayBody.self, route: "billing.pay", callerID: try context.requireIdentity().userID, context: context)
            let order = await withReceiptContact(input.body.order, userID: try context.requireIdentity().userID)
            return try await created(billing.pay(of: try context.owner(), order, idempotency: input.token))
        }
        group.post("top-up", access: own, class: .api) { request, context in
            let input = try await request.decodeIdempotent(
                TopUpBody.self, route: "billing.top-up", callerID: try context.requireIdentity().userID, context: context)
            let order = await withReceiptContact(input.body.order, userID: try context.requireIdentity().userID)
            return try await created(billing.pay(of: try context.owner(), order, idempotency: input.token))
        }
        group.get("payments/{id}", access: own, class: .api) { _, context in
            try await billing.payment(id: try context.parameters.require("id"), of: try context.owner())
        }
        group.get("saved-methods", access: own, class: .api) { _, context in
            ItemList(items: try await billing.savedMethods(of: try context.owner()))
        }
        group.delete("saved-methods/{id}", access: own, class: .api) { _, context in
            try await billing.deleteSavedMethod(id: try context.parameters.require("id"), of: try context.owner())
            return Response(status: .noContent)
        }
        group.get("autopay", access: own, class: .api) { _, context in
            try await billing.autopay(of: try context.owner())
        }
        group.put("autopay", access: own, class: .api) { request, context in
            try await billing.setAutopay(of: try context.owner(), try await request.decodeJSON(AutopaySettings.self, context: context))
        }
        group.get("providers", access: .anonymous, class: .api) { _, _ in
            ItemList(items: try await billing.paymentProviders())
        }
        group.post("providers/{provider}/notifications", access: .anonymous, class: .api) { request, context in
            let provider = try context.parameters.require("provider")
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            var headers: [String: String] = [:]
            for field in request.headers where Self.notificationHeaders.contains(field.name.canonicalName) {
                headers[field.name.canonicalName] = field.value
            }
            let answer = try await billing.handleProviderNotification(
                ProviderNotificationInput(provider: provider, body: Array(body.readableBytesView), headers: headers))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
    }
}

/// Answers `201 Created` with `value` as JSON.
func created<Value: ResponseEncodable>(_ value: Value) -> CreatedResponse<Value> { CreatedResponse(value: value) }

/// A `201 Created` JSON answer.
struct CreatedResponse<Value: ResponseEncodable>: ResponseGenerator {
    var value: Value

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try value.response(from: request, context: context)
        response.status = .created
        return response
    }
}

extension AppRequestContext {
    /// The signed-in customer's own account.
    func owner() throws -> AccountOwner { .user(try requireIdentity().userID) }
}
