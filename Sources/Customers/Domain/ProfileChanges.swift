import Contracts
import Foundation

/// Validated changes to a customer's card; `nil` leaves a field as it is, and an empty phone or e-mail clears it.
struct ProfileChanges: Sendable, Hashable {
    var fullName: String?
    var phone: String??
    var email: String??
    var status: CustomerStatus?
    var locale: String?

    /// The fields a customer may change about themselves, checked.
    init(_ update: CustomerSelfUpdate) throws(CustomerError) {
        phone = try update.phone.map { text throws(CustomerError) in try CustomerRules.optionalPhone(text) }
        email = try update.email.map { text throws(CustomerError) in try CustomerRules.optionalEmail(text) }
        locale = try update.locale.map { text throws(CustomerError) in try CustomerRules.locale(text) }
    }

    /// An operator's changes, checked.
    init(_ update: CustomerOperatorUpdate) throws(CustomerError) {
        fullName = try update.fullName.map { text throws(CustomerError) in try CustomerRules.fullName(text) }
        phone = try update.phone.map { text throws(CustomerError) in try CustomerRules.optionalPhone(text) }
        email = try update.email.map { text throws(CustomerError) in try CustomerRules.optionalEmail(text) }
        status = update.status
        locale = try update.locale.map { text throws(CustomerError) in try CustomerRules.locale(text) }
    }

    /// Applies the changes; returns the names of the fields whose value changed, in the contract's spelling.
    func apply(to record: inout CustomerRecord) -> [String] {
        var changed: [String] = []
        if let fullName, fullName != record.fullName {
            record.fullName = fullName
            changed.append("fullName")
        }
        if let phone, phone != record.phone {
            record.phone = phone
            changed.append("phone")
        }
        if let email, email != record.email {
            record.email = email
            changed.append("email")
        }
        if let status, status != record.status {
            record.status = status
            changed.append("status")
        }
        if let locale, locale != record.locale {
            record.locale = locale
            changed.append("locale")
        }
        return changed
    }

    /// The timeline's line for a change of `fields` to `record`.
    static func summary(of fields: [String], to record: CustomerRecord, byCustomer: Bool) -> String {
        let names = fields.map { field in
            switch field {
            case "fullName": "ФИО"
            case "phone": "телефон"
            case "email": "e-mail"
            case "status": "статус «\(statusName(record.status))»"
            case "locale": "язык"
            default: field
            }
        }
        return (byCustomer ? "Клиент изменил: " : "Изменено оператором: ") + names.joined(separator: ", ")
    }

    static func statusName(_ status: CustomerStatus) -> String {
        switch status {
        case .active: "активен"
        case .blocked: "заблокирован"
        case .terminated: "расторгнут"
        }
    }
}
