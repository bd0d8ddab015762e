import Contracts
import Foundation
import Kernel

extension CustomersService {
    /// Finds customers by name (family name first), phone (whole, its start or its last digits), e-mail, contract
    /// number or service address (street, building, apartment), in name order, a page at a time.
    ///
    /// Each kind of key is one index range scan, bounded per page (see ``CustomersSettings/searchCandidateLimit``);
    /// a whole phone, e-mail or contract number is an exact index lookup.
    public func search(_ query: CustomerSearch, page: PageRequest) async throws -> Page<CustomerSummary> {
        let plan = try SearchPlan(text: query.text)
        let after = try PageCursor<SearchPosition>.parse(page.cursor)
        let positions = try await SearchStore.page(
            plan, status: query.status, after: after, limit: page.limit + 1, candidateLimit: settings.searchCandidateLimit, in: database)
        let shown = Array(positions.prefix(page.limit))
        let ids = shown.map(\.i)
        let records = Dictionary(uniqueKeysWithValues: try await CustomerStore.find(ids: ids, in: database).map { ($0.id, $0) })
        let contracts = try await ContractStore.firstContracts(customerIDs: ids, in: database)
        let items = ids.compactMap { id -> CustomerSummary? in
            guard let record = records[id] else { return nil }
            let contract = contracts[id]
            return CustomerSummary(
                id: id, fullName: record.fullName, phone: record.phone, email: record.email, contractNumber: contract?.number ?? "",
                address: contract.map { AddressLine.format($0.address) } ?? "", status: record.status)
        }
        let next = positions.count > page.limit ? shown.last.map { PageCursor($0).text } : nil
        return Page(items: items, nextCursor: next)
    }
}
