import Contracts
import Foundation
import Hummingbird
import Kernel
import NIOCore
import ServerKit

/// The support desk's routes besides tickets: ratings from the resolution message's links (no sign-in), bulk status
/// changes and merges, the satisfaction report, canned replies.
struct SupportDeskRoutes: Sendable {
    let support: any SupportAPI

    /// `POST /api/v1/support/tickets/{id}/rating`.
    struct RatingBody: Codable, Sendable {
        var score: Int
        var token: String
        var comment: String?
    }

    /// `POST /api/v1/admin/support/tickets/bulk-status`.
    struct BulkBody: Codable, Sendable {
        var ticketIds: [String]
        var status: TicketStatus
    }

    /// `POST /api/v1/admin/support/tickets/{id}/merge`.
    struct MergeBody: Codable, Sendable {
        var into: String
    }

    /// `{"text": …}`: a canned reply filled in.
    struct RenderedReply: ResponseEncodable, Sendable {
        var text: String
    }

    func register(on router: SecureRouter) {
        let tickets = router.group("/api/v1/support/tickets")
        // The one-click link: records the score and answers a small page in both languages.
        tickets.get("{id}/rating", access: .anonymous, class: .api) { request, context in
            let query = request.uri.queryParameters
            guard let score = query.get("score").flatMap({ Int($0) }) else { throw Problem.invalidField("score", "1 to 5") }
            let token = query.get("token").map { String($0) } ?? ""
            let rating = try await support.rate(ticketID: try context.parameters.require("id"), score: score, token: token, comment: nil)
            return Self.thanks(rating)
        }
        tickets.post("{id}/rating", access: .anonymous, class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["score", "token", "comment"])
            let body = try Request.decodeJSON(RatingBody.self, from: buffer)
            return try await support.rate(ticketID: try context.parameters.require("id"), score: body.score, token: body.token, comment: body.comment)
        }

        let desk = router.group("/api/v1/admin/support")
        desk.post("tickets/bulk-status", access: .permission(.supportWork), class: .api) { request, context in
            let body = try await request.decodeJSON(BulkBody.self, context: context)
            return ItemList(
                items: try await support.changeStatus(ticketIDs: body.ticketIds, to: body.status, operatorID: try context.requireIdentity().userID))
        }
        desk.post("tickets/{id}/merge", access: .permission(.supportWork), class: .api) { request, context in
            let body = try await request.decodeJSON(MergeBody.self, context: context)
            return try await support.merge(
                ticketID: try context.parameters.require("id"), into: body.into, operatorID: try context.requireIdentity().userID)
        }
        desk.get("satisfaction", access: .permission(.supportWork), class: .api) { request, _ in
            let query = request.uri.queryParameters
            let from = try Self.instant(query.get("from").map { String($0) }, field: "from")
            let to = try Self.instant(query.get("to").map { String($0) }, field: "to")
            return ItemList(items: try await support.satisfaction(from: from, to: to))
        }
        desk.get("canned-replies", access: .permission(.supportWork), class: .api) { _, _ in
            ItemList(items: try await support.cannedReplies())
        }
        desk.post("canned-replies", access: .permission(.supportManage), class: .api) { request, context in
            created(try await support.setCannedReply(id: nil, try await request.decodeJSON(CannedReplyInput.self, context: context)))
        }
        desk.put("canned-replies/{id}", access: .permission(.supportManage), class: .api) { request, context in
            try await support.setCannedReply(
                id: try context.parameters.require("id"), try await request.decodeJSON(CannedReplyInput.self, context: context))
        }
        desk.delete("canned-replies/{id}", access: .permission(.supportManage), class: .api) { _, context in
            try await support.deleteCannedReply(id: try context.parameters.require("id"))
            return Response(status: .noContent)
        }
        desk.get("tickets/{id}/canned-replies/{reply}", access: .permission(.supportWork), class: .api) { _, context in
            RenderedReply(
                text: try await support.renderCannedReply(
                    id: try context.parameters.require("reply"), ticketID: try context.parameters.require("id"),
                    operatorID: try context.requireIdentity().userID))
        }
    }

    /// An RFC 3339 instant from the query (`2026-12-01T00:00:00+03:00`).
    static func instant(_ text: String?, field: String) throws -> Date {
        guard let text, text.count <= 40, let date = ISO8601DateFormatter().date(from: text) else {
            throw Problem.invalidField(field, "query parameter \(field) must be an RFC 3339 date-time such as 2026-12-01T00:00:00+03:00")
        }
        return date
    }

    /// The page a rating link answers with: no script, no style from elsewhere.
    static func thanks(_ rating: TicketRating) -> Response {
        let html = """
            <!doctype html>
            <html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Спасибо за оценку — Thank you</title></head>
            <body><main><h1>Спасибо за оценку!</h1><p>Ваша оценка: \(rating.score) из 5.</p>
            <p lang="en">Thank you for your rating: \(rating.score) out of 5.</p></main></body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
