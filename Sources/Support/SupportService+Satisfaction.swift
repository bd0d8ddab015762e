import Contracts
import Crypto
import Foundation
import Kernel
import Messaging
import Storage
import Synchronization

extension SupportService {
    /// Records a rating from the link in the resolution message: the token is the ticket's HMAC under the desk's
    /// rating key, so the link needs no sign-in and fits only its own ticket.
    public func rate(ticketID: String, score: Int, token: String, comment: String?) async throws -> TicketRating {
        guard (1...5).contains(score) else { throw SupportError.invalidField(field: "score", reason: "1 to 5") }
        let comment = try comment.map { try TicketRules.text($0, field: "comment") }.flatMap { $0.isEmpty ? nil : $0 }
        guard token.count <= 100, ConstantTime.equals(token, try await ratingToken(for: ticketID)) else {
            throw SupportError.ratingRefused(reason: "This link is not valid for this ticket")
        }
        let now = clock.now()
        return try await database.transaction { tx in
            guard let ticket = try await TicketStore.find(id: ticketID, forUpdate: true, in: tx) else { throw SupportError.notFound }
            guard ticket.status == .resolved || ticket.status == .closed, ticket.mergedInto == nil else {
                throw SupportError.ratingRefused(reason: "The ticket is not resolved yet")
            }
            let rating = TicketRating(score: score, comment: comment ?? ticket.rating?.comment, ratedAt: now)
            try await tx.query(
                "UPDATE support_tickets SET rating = $2, rating_comment = $3, rated_at = $4 WHERE id = $1", ticketID, rating.score,
                rating.comment, rating.ratedAt)
            return rating
        }
    }

    /// Ratings per operator of the tickets resolved in `[from, to)`, by who had each ticket.
    public func satisfaction(from: Date, to: Date) async throws -> [OperatorSatisfaction] {
        guard from < to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw SupportError.invalidField(field: "to", reason: "after from, at most a year later")
        }
        let rows = try await database.query(
            """
            SELECT assignee_id, rating, COUNT(*) AS n FROM support_tickets
            WHERE assignee_id IS NOT NULL AND merged_into IS NULL AND resolved_at >= $1 AND resolved_at < $2
            GROUP BY assignee_id, rating
            """, from, to)
        let names = Dictionary(uniqueKeysWithValues: try await AgentStore.all(in: database).map { ($0.userID, $0.name) })
        var lines: [String: OperatorSatisfaction] = [:]
        for row in rows {
            let id = try row.string("assignee_id")
            let count = try row.int("n")
            var line =
                lines[id]
                ?? OperatorSatisfaction(operatorId: id, name: names[id] ?? id, resolved: 0, rated: 0, scores: [0, 0, 0, 0, 0], csatPercent: nil)
            line.resolved += count
            if let score = try row.optionalInt64("rating"), (1...5).contains(score) {
                line.rated += count
                line.scores[Int(score) - 1] += count
            }
            lines[id] = line
        }
        return lines.values.map { line in
            var line = line
            if line.rated > 0 { line.csatPercent = (Double((line.scores[3] + line.scores[4]) * 1000 / line.rated)).rounded() / 10 }
            return line
        }.sorted { $0.name < $1.name }
    }

    /// The resolution message with its rating links: one per score, each with the ticket's `token`.
    func ratingMessage(for ticket: TicketRecord, token: String) -> String {
        let url = ratingURL(for: ticket, token: token)
        let links = (1...5).reversed().map { score in "\(score) — \(url)&score=\(score)" }
        let intro =
            ticket.locale == "en"
            ? "The ticket is resolved. How did we do? Rate with one click (5 is excellent):"
            : "Обращение решено. Оцените, пожалуйста, нашу помощь одним нажатием (5 — отлично):"
        return ([intro] + links).joined(separator: "\n")
    }

    /// The rating link of a ticket without its score: a score is `&score=1` … `&score=5` after it.
    func ratingURL(for ticket: TicketRecord, token: String) -> String {
        let base = settings.publicBaseURL.hasSuffix("/") ? String(settings.publicBaseURL.dropLast()) : settings.publicBaseURL
        return "\(base)/api/v1/support/tickets/\(ticket.id)/rating?token=\(token)"
    }

    /// The token of `ticketID`'s rating links.
    func ratingToken(for ticketID: String) async throws -> String {
        let key = SymmetricKey(data: try await ratingKey())
        return Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(("rating:" + ticketID).utf8), using: key)))
    }

    /// The desk's rating key: made once, kept in the database so every replica signs alike.
    private func ratingKey() async throws -> Data {
        if let key = ratingKeyCache.withLock({ $0 }) { return key }
        let data = try await StoredSecret.key(named: "rating", in: "support_secrets", database: database)
        ratingKeyCache.withLock { $0 = data }
        return data
    }
}
