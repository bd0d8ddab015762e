import Foundation
import Kernel

/// Tunables of the customer service; defaults are the production values.
public struct CustomersSettings: Sendable {
    /// How contract numbers are written (`LASTMILE_CONTRACT_NUMBER_PATTERN`).
    public var contractNumberPattern = ContractNumberPattern.standard
    /// The operator's time zone: the day a contract is signed on, and days shown in timeline summaries.
    public var timeZone = TimeZone.moscow
    /// How many index entries a search branch other than the name reads at most (see ``CustomersService/search(_:page:)``).
    public var searchCandidateLimit = 1000

    /// Production defaults.
    public init() {}
}
