import Contracts
import Hummingbird
import Kernel
import Logging
import ServerKit

/// `GET /api/v1/billing/invoices`: the customer's invoices and profile, fetched in parallel (seed flow 2).
///
/// When one side fails the answer still comes, with that part `null` and named in `missing`; only when
/// both fail does the request fail.
struct InvoiceOverview: Encodable, Sendable {
    /// The part of the profile the invoice page shows.
    struct CustomerHeader: Codable, Sendable {
        var id: String
        var fullName: String
        var contractNumbers: [String]
        var locale: String
    }

    var customer: CustomerHeader?
    var invoices: [Invoice]?
    var nextCursor: String?
    var missing: [String]

    static func load(
        userID: String, page: PageRequest, billing: any BillingAPI, customers: any CustomersAPI, logger: Logger
    ) async throws -> InvoiceOverview {
        async let invoicesResult = capture { try await billing.invoices(of: .user(userID), page: page) }
        async let customerResult = capture { try await customers.customer(userID: userID) }
        let (invoices, customer) = await (invoicesResult, customerResult)
        var overview = InvoiceOverview(customer: nil, invoices: nil, nextCursor: nil, missing: [])
        switch customer {
        case .success(let customer):
            overview.customer = CustomerHeader(
                id: customer.id, fullName: customer.fullName, contractNumbers: customer.contracts.map(\.number), locale: customer.locale)
        case .failure(let error):
            overview.missing.append("customer")
            if !(error is CustomerError) { logger.error("invoice overview: customer profile failed", metadata: ["error": "\(error)"]) }
        }
        switch invoices {
        case .success(let page):
            overview.invoices = page.items
            overview.nextCursor = page.nextCursor
        case .failure(let error):
            overview.missing.append("invoices")
            if !(error is BillingError) { logger.error("invoice overview: invoices failed", metadata: ["error": "\(error)"]) }
        }
        if case .failure(let error) = invoices, case .failure = customer { throw error }
        return overview
    }
}

// Written by `JSONObjectWriter`: the invoices page is the personal account's most requested answer, and
// `JSONEncoder` took a tenth of its time.
extension InvoiceOverview: JSONObjectWritable, ResponseGenerator {
    func writeJSON(to writer: inout JSONObjectWriter) {
        if let customer {
            writer.object("customer") { writer in
                writer.field("id", customer.id)
                writer.field("fullName", customer.fullName)
                writer.field("contractNumbers", customer.contractNumbers)
                writer.field("locale", customer.locale)
            }
        }
        if let invoices { writer.objects("invoices", invoices) { writer, invoice in invoice.writeJSON(to: &writer) } }
        writer.field("nextCursor", nextCursor)
        writer.field("missing", missing)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse()
    }
}

extension Invoice: JSONObjectWritable {
    /// Writes the members `Encodable` would encode.
    public func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("id", id)
        writer.field("number", number)
        writer.field("customerId", customerId)
        writer.field("period", period)
        writer.field("status", status.rawValue)
        writer.money("total", total)
        writer.money("vat", vat)
        writer.money("amountDue", amountDue)
        writer.field("issuedAt", issuedAt)
        writer.field("dueOn", dueOn)
    }
}

extension JSONObjectWriter {
    /// Writes a ``Money`` member as its `Encodable` form: `{"amount": <minor units>, "currency": "<code>"}`.
    mutating func money(_ key: StaticString, _ value: Money) {
        object(key) { writer in
            writer.field("amount", value.minorUnits)
            writer.field("currency", value.currency.code)
        }
    }
}
