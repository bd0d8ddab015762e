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
            let price = TariffPrice(
                monthlyPrice: Money(minorUnits: try row.int64("monthly_price"), currency: currency),
                effectiveFrom: LocalDate(dayNumber: try row.int("effective_from")))
            let tariffID = try row.string("id")
            if tariffs.last?.id == tariffID {
                tariffs[tariffs.count - 1].prices.append(price)
                continue
            }
            tariffs.append(
                Tariff(
                    id: tariffID, code: try row.string("code"), nameRu: try row.string("name_ru"), nameEn: try row.string("name_en"),
                    downloadMbps: try row.int("download_mbps"), uploadMbps: try row.int("upload_mbps"),
                    vat: VATTreatment(rawValue: try row.string("vat")) ?? .standard,
                    creditLimit: Money(minorUnits: try row.int64("credit_limit"), currency: currency), isArchived: try row.bool("archived"),
                    prices: [price], currentPrice: price.monthlyPrice))
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
            let id = try row.string("id")
            let price = (from: LocalDate(dayNumber: try row.int("effective_from")), price: try row.int64("monthly_price"))
            if tariffs[id] != nil {
                tariffs[id]!.prices.append(price)
            } else {
                tariffs[id] = PricedTariff(
                    id: id, nameRu: try row.string("name_ru"), nameEn: try row.string("name_en"),
                    vat: VATTreatment(rawValue: try row.string("vat")) ?? .standard, prices: [price])
            }
        }
        return tariffs
    }
}
