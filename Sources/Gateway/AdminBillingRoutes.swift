import Contracts
import Hummingbird
import Kernel
import ServerKit

/// `/api/v1/admin/*` for money: tariffs, subscriptions, manual payments, refunds, monthly runs, debtors.
struct AdminBillingRoutes: Sendable {
    let billing: any BillingAPI

    func register(on router: SecureRouter) {
        let admin = router.group("/api/v1/admin")
        let read = RouteAccess.permission(.billingRead)
        let manage = RouteAccess.permission(.billingManage)

        admin.get("tariffs", access: read, class: .api) { request, _ in
            let archived = request.uri.queryParameters.get("archived") == "true"
            return ItemList(items: try await billing.tariffs(includeArchived: archived))
        }
        admin.post("tariffs", access: manage, class: .api) { request, context in
            created(try await billing.createTariff(try await request.decodeJSON(NewTariff.self, context: context)))
        }
        admin.post("tariffs/{id}/prices", access: manage, class: .api) { request, context in
            let body = try await request.decodeJSON(TariffPriceBody.self, context: context)
            return try await billing.setTariffPrice(
                tariffID: try context.parameters.require("id"), monthlyPrice: body.monthlyPrice, effectiveFrom: body.effectiveFrom)
        }
        admin.post("tariffs/{id}/archive", access: manage, class: .api) { _, context in
            try await billing.archiveTariff(tariffID: try context.parameters.require("id"))
        }

        admin.post("subscriptions", access: manage, class: .api) { request, context in
            created(try await billing.createSubscription(try await request.decodeJSON(NewSubscription.self, context: context)))
        }
        admin.post("subscriptions/{id}/terminate", access: manage, class: .api) { request, context in
            let body = try await request.decodeJSON(TerminateBody.self, context: context)
            return try await billing.terminateSubscription(subscriptionID: try context.parameters.require("id"), endsOn: body.endsOn)
        }

        admin.post("payments", access: manage, class: .api) { request, context in
            let operatorID = try context.requireIdentity().userID
            let input = try await request.decodeIdempotent(ManualPaymentBody.self, route: "admin.payments", callerID: operatorID, context: context)
            let body = input.body
            return created(
                try await billing.recordPayment(
                    ManualPayment(customerId: body.customerId, amount: body.amount, method: body.method, reference: body.reference),
                    by: operatorID, idempotency: input.token))
        }
        admin.get("payments/{id}", access: read, class: .api) { request, context in
            guard let customerID = request.uri.queryParameters.get("customerId") else {
                throw Problem.invalidField("customerId", "query parameter customerId is required")
            }
            return try await billing.payment(id: try context.parameters.require("id"), of: .customer(String(customerID)))
        }
        admin.post("payments/{id}/refunds", access: manage, class: .api) { request, context in
            let operatorID = try context.requireIdentity().userID
            let paymentID = try context.parameters.require("id")
            let input = try await request.decodeIdempotent(
                RefundBody.self, route: "admin.refunds:\(paymentID)", callerID: operatorID, context: context)
            return created(
                try await billing.refund(
                    RefundRequest(paymentId: paymentID, amount: input.body.amount, reason: input.body.reason), by: operatorID,
                    idempotency: input.token))
        }

        admin.post("billing/runs", access: manage, class: .api) { request, context in
            let body = try await request.decodeJSON(BillingRunBody.self, context: context)
            var response = try await billing.startBillingRun(
                period: body.period, dryRun: body.dryRun ?? false, by: try context.requireIdentity().userID
            ).response(from: request, context: context)
            response.status = .accepted
            return response
        }
        admin.get("billing/runs", access: read, class: .api) { request, _ in
            try await billing.billingRuns(page: try request.pageRequest())
        }
        admin.get("billing/runs/{id}", access: read, class: .api) { _, context in
            try await billing.billingRun(id: try context.parameters.require("id"))
        }
        admin.get("billing/debtors", access: read, class: .api) { request, _ in
            try await billing.debtors(page: try request.pageRequest())
        }
        admin.get("billing/verify", access: manage, class: .api) { _, _ in
            try await billing.verifyLedger()
        }
    }
}
