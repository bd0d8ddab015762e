import Contracts
import Crypto
import Foundation
import Hummingbird
import Kernel
import ServerKit

/// `POST /api/v1/alerts/alertmanager`: Alertmanager's webhook (seed: monitoring, step 5), authenticated by the bearer
/// token its `http_config` sends (`LASTMILE_ALERTMANAGER_TOKEN`; without one the route does not exist); and the
/// on-call list administrators keep, at `/api/v1/admin/notifications/on-call`.
struct AlertRoutes: Sendable {
    let notifications: any NotificationsAPI
    let token: String?

    /// `PUT …/on-call`.
    struct OnCallBody: Codable, Sendable {
        var entries: [OnCallEntry]
    }

    func register(on router: SecureRouter) {
        let expected = token.map { SHA256.hash(data: Data(("Bearer " + $0).utf8)) }
        router.post("/api/v1/alerts/alertmanager", access: .anonymous, class: .api) { request, context in
            guard let expected else { throw Problem.notFound }
            // Digests compare in constant time: the token is the only check.
            guard SHA256.hash(data: Data((request.headers[.authorization] ?? "").utf8)) == expected else {
                throw Problem.unauthorized("A valid bearer token is required")
            }
            let buffer = try await request.collectJSONBody(context: context)
            let payload = try Request.decodeJSON(AlertmanagerPayload.self, from: buffer)
            return try await notifications.receiveAlerts(payload)
        }
        let admin = router.group("/api/v1/admin/notifications/on-call")
        admin.get("", access: .permission(.notificationsManage), class: .api) { _, _ in
            OnCallBody(entries: try await notifications.onCall())
        }
        admin.put("", access: .permission(.notificationsManage), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["entries"])
            let body = try Request.decodeJSON(OnCallBody.self, from: buffer)
            return OnCallBody(entries: try await notifications.setOnCall(body.entries))
        }
    }
}

extension AlertRoutes.OnCallBody: ResponseEncodable {}
extension AlertReceipt: ResponseEncodable {}
