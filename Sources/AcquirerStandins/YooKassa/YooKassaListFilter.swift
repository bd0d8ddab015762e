import Foundation

/// The filters and paging of YooKassa's lists: `created_at.gte|gt|lte|lt`, `status`, `payment_id`, `limit` (1–100,
/// 10 by default) and the opaque `cursor` from the previous page's `next_cursor`.
struct YooKassaListFilter: Sendable {
    var from: (Date, inclusive: Bool)?
    var to: (Date, inclusive: Bool)?
    var status: String?
    var paymentID: String?
    var limit = 10
    var before: Int?

    /// Reads the query; a malformed value is refused naming it.
    init(_ query: [(String, String)]) throws(YooKassaChecks.Refusal) {
        for (name, value) in query {
            switch name {
            case "created_at.gte", "created_at.gt", "created_at.lte", "created_at.lt":
                guard let date = YooKassaChecks.date(value) else { throw .init(description: "An ISO 8601 time is expected", parameter: name) }
                if name.hasPrefix("created_at.g") { from = (date, name.hasSuffix("e")) } else { to = (date, name.hasSuffix("e")) }
            case "status":
                status = value
            case "payment_id":
                paymentID = value
            case "limit":
                guard let limit = Int(value), (1...100).contains(limit) else { throw .init(description: "limit is 1 to 100", parameter: name) }
                self.limit = limit
            case "cursor":
                guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8), text.hasPrefix("seq:"),
                    let sequence = Int(text.dropFirst(4))
                else { throw .init(description: "Invalid cursor", parameter: name) }
                before = sequence
            default:
                continue
            }
        }
    }

    func admits(created: Date, sequence: Int, status: String, paymentID: String?) -> Bool {
        if let from, from.inclusive ? created < from.0 : created <= from.0 { return false }
        if let to, to.inclusive ? created > to.0 : created >= to.0 { return false }
        if let wanted = self.status, wanted != status { return false }
        if let wanted = self.paymentID, wanted != paymentID { return false }
        if let before, sequence >= before { return false }
        return true
    }

    static func cursor(after sequence: Int) -> String {
        Data("seq:\(sequence)".utf8).base64EncodedString()
    }
}
