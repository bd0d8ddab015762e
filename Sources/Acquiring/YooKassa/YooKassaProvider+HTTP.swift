import Foundation
import Kernel
import NIOHTTP1

extension YooKassaProvider {
    /// The longest `Idempotence-Key` YooKassa takes.
    static let maximumKeyLength = 64

    /// Sends one call and returns a 200 answer; anything else is told as what it means for the money.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], idempotencyKey: String? = nil, body: [UInt8]? = nil)
        async throws(ProviderError) -> [UInt8]
    {
        var headers = [("Authorization", configuration.authorization), ("Accept", "application/json")]
        if let idempotencyKey {
            guard (1...Self.maximumKeyLength).contains(idempotencyKey.utf8.count) else {
                throw .refused(code: "idempotence_key", message: "YooKassa takes idempotence keys of 1 to \(Self.maximumKeyLength) characters")
            }
            headers.append(("Idempotence-Key", idempotencyKey))
        }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await http.send(method, configuration.apiBaseURL + path + Self.queryString(query), headers: headers, body: body)
        switch response.status {
        case 200:
            return response.body
        case 202:
            // YooKassa took the request and has not finished it: repeat it later with the same key.
            throw .outcomeUnknown("\(method) \(path): 202, still processing")
        case 429:
            throw .unreachable("\(method) \(path): 429 too_many_requests, nothing done")
        case 400..<500:
            let failure = try? JSONDecoder().decode(YooKassaWire.Failure.self, from: Data(response.body))
            let code = failure?.code ?? "http_\(response.status)"
            let message = [failure?.description, failure?.parameter.map { "parameter: \($0)" }].compactMap { $0 }.joined(separator: "; ")
            // The key was used before with another request: what was done under it is unknown here, so look it up
            // rather than take this for a refusal.
            if idempotencyKey != nil, failure?.parameter == "Idempotence-Key" {
                throw .outcomeUnknown("\(method) \(path): the idempotence key was used before: \(message)")
            }
            throw .refused(code: code, message: message.isEmpty ? "\(method) \(path): \(response.status)" : message)
        default:
            throw .outcomeUnknown("\(method) \(path): \(response.status)")
        }
    }

    /// A `GET` of one object; `nil` when YooKassa has no such object (404).
    func lookup(_ path: String) async throws(ProviderError) -> [UInt8]? {
        do {
            return try await send(.GET, path)
        } catch .refused(let code, _) where code == "not_found" || code == "http_404" {
            return nil
        }
    }

    /// Reads a list page by page (`limit`, `cursor`), oldest filter `created_at.gte`, newest `created_at.lt`, handing
    /// each page to `page` until it answers `false` or the list ends.
    func list<Item: Decodable>(
        _ path: String, interval: DateInterval?, extra: [(String, String)], as: Item.Type,
        _ page: ([Item]) throws(ProviderError) -> Bool
    ) async throws(ProviderError) {
        var query = extra + [("limit", String(Self.pageSize))]
        if let interval {
            query += [("created_at.gte", Self.timestamp(interval.start)), ("created_at.lt", Self.timestamp(interval.end))]
        }
        var cursor: String?
        var pages = 0
        repeat {
            let answer = try decode(YooKassaWire.List<Item>.self, try await send(.GET, path, query: query + (cursor.map { [("cursor", $0)] } ?? [])))
            guard try page(answer.items) else { return }
            cursor = answer.nextCursor
            pages += 1
            // A list that never ends is a broken answer, not a long day.
            if pages > 100_000 { throw .invalidMessage("\(path): the list does not end") }
        } while cursor != nil
    }

    /// The provider id of a payment, asked for by our id when the creation's answer was lost.
    func providerPaymentID(_ reference: ProviderPaymentReference) async throws(ProviderError) -> String {
        if let id = reference.providerPaymentID { return id }
        guard let found = try await findPayment(reference) else {
            throw .refused(code: "not_found", message: "YooKassa has no payment for \(reference.paymentID)")
        }
        return found.providerPaymentID
    }

    func encode(_ value: some Encodable) throws(ProviderError) -> [UInt8] {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(value))
        } catch {
            throw .invalidMessage("cannot encode the request: \(error)")
        }
    }

    /// Reads an answer; one we cannot read may stand for work done, so its outcome is unknown.
    func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(ProviderError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw .outcomeUnknown("an unreadable YooKassa answer: \(error)")
        }
    }

    /// An id put in a path: YooKassa's ids are letters, digits and dashes.
    func pathComponent(_ id: String) throws(ProviderError) -> String {
        guard !id.isEmpty, id.count <= 64, id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else { throw .refused(code: "invalid_id", message: "not a YooKassa id") }
        return id
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?"
            + query.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }.joined(separator: "&")
    }

    /// `2026-12-01T00:00:00.000Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
