import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Tariffs; archived ones only when asked.
    public func tariffs(includeArchived: Bool) async throws -> [Tariff] {
        try await TariffStore.list(includeArchived: includeArchived, today: today, currency: settings.currency, in: database)
    }

    /// Creates a tariff with its first price.
    public func createTariff(_ input: NewTariff) async throws -> Tariff {
        guard !input.code.isEmpty, input.code.count <= 64 else {
            throw BillingError.invalidField(field: "code", reason: "must be 1 to 64 characters")
        }
        guard !input.nameRu.isEmpty, !input.nameEn.isEmpty else { throw BillingError.invalidField(field: "name", reason: "must not be empty") }
        guard input.downloadMbps > 0, input.uploadMbps > 0 else { throw BillingError.invalidField(field: "speed", reason: "must be positive") }
        try requireNonNegative(input.monthlyPrice, field: "monthlyPrice")
        try requireNonNegative(input.creditLimit, field: "creditLimit")
        let (id, now, today, currency) = (Identifier<Tariff>.generate().rawValue, clock.now(), today, settings.currency)
        return try await database.transaction { tx in
            try await TariffStore.insert(input, id: id, at: now, in: tx)
            return try await TariffStore.list(id: id, includeArchived: true, today: today, currency: currency, in: tx)[0]
        }
    }

    /// Sets a tariff's price from a day on; earlier prices stay for earlier days.
    public func setTariffPrice(tariffID: String, monthlyPrice: Money, effectiveFrom: LocalDate) async throws -> Tariff {
        try requireNonNegative(monthlyPrice, field: "monthlyPrice")
        let (today, currency) = (today, settings.currency)
        return try await database.transaction { tx in
            guard try await tx.first("SELECT id FROM tariffs WHERE id = $1", tariffID) != nil else { throw BillingError.notFound }
            try await TariffStore.setPrice(tariffID: tariffID, monthlyPrice: monthlyPrice.minorUnits, effectiveFrom: effectiveFrom, in: tx)
            return try await TariffStore.list(id: tariffID, includeArchived: true, today: today, currency: currency, in: tx)[0]
        }
    }

    /// Archives a tariff: no new subscriptions, existing ones keep it.
    public func archiveTariff(tariffID: String) async throws -> Tariff {
        let (today, currency) = (today, settings.currency)
        return try await database.transaction { tx in
            guard try await TariffStore.archive(tariffID: tariffID, in: tx) else { throw BillingError.notFound }
            return try await TariffStore.list(id: tariffID, includeArchived: true, today: today, currency: currency, in: tx)[0]
        }
    }

    /// The tariff if it exists, is not archived and has a price on `day`.
    func requireOfferedTariff(_ tariffID: String, on day: LocalDate, in executor: any SQLExecutor) async throws {
        guard let row = try await executor.first("SELECT archived FROM tariffs WHERE id = $1", tariffID) else {
            throw BillingError.invalidField(field: "tariffId", reason: "no such tariff")
        }
        guard try !row.bool("archived") else { throw BillingError.invalidField(field: "tariffId", reason: "the tariff is archived") }
        guard
            try await executor.first("SELECT 1 AS one FROM tariff_prices WHERE tariff_id = $1 AND effective_from <= $2", tariffID, day.dayNumber)
                != nil
        else { throw BillingError.invalidField(field: "tariffId", reason: "the tariff has no price on \(day)") }
    }
}
