import Contracts
import Hummingbird
import Kernel
import ServerKit

extension Request {
    /// The `cursor` and `limit` query parameters as a page request; a bad limit is a 400 naming it.
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        var limit = PageRequest.defaultLimit
        if let text = query.get("limit") {
            guard let value = Int(text), (1...PageRequest.maximumLimit).contains(value) else {
                throw Problem.invalidField("limit", "query parameter limit must be a whole number from 1 to \(PageRequest.maximumLimit)")
            }
            limit = value
        }
        let cursor = query.get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        if let cursor, cursor.utf8.count > 512 {
            throw Problem.invalidField("cursor", "query parameter cursor is not one this API gave out")
        }
        return PageRequest(cursor: cursor, limit: limit)
    }
}
