import Contracts
import Foundation
import Kernel
import Storage

/// The `tariffs` and `tariff_prices` tables.
enum TariffStore {
    /// Inserts a tariff with its first price; ``BillingError/conflict(reason:)`` when the code is taken.
    static func insert(_ input: NewTariff, id: String, at time: Date, in tx: any SQLExecutor) async throws {
        do {
            try await tx.query(
                """
                INSERT INTO tariffs (id, code, name_ru, name_en, download_mbps, upload_mbps, vat, credit_limit, archived, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9)
                """,
                id, input.code, input.nameRu, input.nameEn, input.downloadMbps, input.uploadMbps, input.vat.rawValue,
                input.creditLimit.minorUnits, time)
        } catch StorageError.uniqueViolation {
            throw BillingError.conflict(reason: "a tariff with code \(input.code) exists")
        }
        try await setPrice(tariffID: id, monthlyPrice: input.monthlyPrice.minorUnits, effectiveFrom: input.effectiveFrom, in: tx)
    }

    /// Sets the price from a day on, replacing a price set for that same day.
    static func setPrice(tariffID: String, monthlyPrice: Int64, effectiveFrom: LocalDate, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO tariff_prices (tariff_id, effective_from, monthly_price) VALUES ($1, $2, $3)
            ON CONFLICT (tariff_id, effective_from) DO UPDATE SET monthly_price = excluded.monthly_price
            """,
            tariffID, effectiveFrom.dayNumber, monthlyPrice)
    }

    /// Archives a tariff; `false` when there is none.
    static func archive(tariffID: String, in tx: any SQLExecutor) async throws -> Bool {
        try await !tx.query("UPDATE tariffs SET archived = TRUE WHERE id = $1 RETURNING id", tariffID).isEmpty
    }

    /// Tariffs with their prices; one when `id` is given.
    static func list(id: String? = nil, includeArchived: Bool, today: LocalDate, currency: Currency, in executor: any SQLExecutor) async throws
        -> [Tariff]
    {
        let filter = id == nil ? (includeArchived ? "" : "WHERE t.archived = FALSE") : "WHERE t.id = $1"
        let rows = try await executor.query(
            """
            SELECT t.id, t.code, t.name_ru, t.name_en, t.download_mbps, t.upload_mbps, t.vat, t.credit_limit, t.archived,
                p.effective_from, p.monthly_price
            FROM tariffs t JOIN tariff_prices p ON p.tariff_id = t.id \(filter)
            ORDER BY t.code, p.effective_from
            """,
            id.map { [SQLValue.text($0)] } ?? [])
        var tariffs: [Tariff] = []
        for row in rows {
            let record = try row.decode(TariffRow.self)
            let price = TariffPrice(
                monthlyPrice: Money(minorUnits: record.monthlyPrice, currency: currency), effectiveFrom: LocalDate(dayNumber: record.effectiveFrom))
            if tariffs.last?.id == record.id {
                tariffs[tariffs.count - 1].prices.append(price)
                continue
            }
            tariffs.append(
                Tariff(
                    id: record.id, code: record.code, nameRu: record.nameRu, nameEn: record.nameEn, downloadMbps: record.downloadMbps,
                    uploadMbps: record.uploadMbps, vat: record.vat, creditLimit: Money(minorUnits: record.creditLimit, currency: currency),
                    isArchived: record.archived, prices: [price], currentPrice: price.monthlyPrice))
        }
        for index in tariffs.indices {
            let prices = tariffs[index].prices
            tariffs[index].currentPrice = (prices.last { $0.effectiveFrom <= today } ?? prices[0]).monthlyPrice
        }
        return tariffs
    }

    /// Every tariff as pricing needs it, by id.
    static func priced(in executor: any SQLExecutor) async throws -> [String: PricedTariff] {
        let rows = try await executor.query(
            """
            SELECT t.id, t.name_ru, t.name_en, t.vat, p.effective_from, p.monthly_price
            FROM tariffs t JOIN tariff_prices p ON p.tariff_id = t.id ORDER BY t.id, p.effective_from
            """, [])
        var tariffs: [String: PricedTariff] = [:]
        for row in rows {
            let record = try row.decode(PriceRow.self)
            let price = (from: LocalDate(dayNumber: record.effectiveFrom), price: record.monthlyPrice)
            if tariffs[record.id] != nil {
                tariffs[record.id]!.prices.append(price)
            } else {
                tariffs[record.id] = PricedTariff(id: record.id, nameRu: record.nameRu, nameEn: record.nameEn, vat: record.vat, prices: [price])
            }
        }
        return tariffs
    }

    /// A tariff with one of its prices.
    private struct TariffRow: Decodable {
        var id: String
        var code: String
        var nameRu: String
        var nameEn: String
        var downloadMbps: Int
        var uploadMbps: Int
        var vat: VATTreatment
        var creditLimit: Int64
        var archived: Bool
        var effectiveFrom: Int
        var monthlyPrice: Int64
    }

    /// A tariff's names and VAT with one of its prices, as pricing needs them.
    private struct PriceRow: Decodable {
        var id: String
        var nameRu: String
        var nameEn: String
        var vat: VATTreatment
        var effectiveFrom: Int
        var monthlyPrice: Int64
    }
}
