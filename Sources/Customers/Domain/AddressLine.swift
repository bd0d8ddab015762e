import Contracts
import Foundation

/// A service address written on one line, as operators read it: `Казань, ул. Баумана, 12, кв. 5`.
enum AddressLine {
    static func format(_ address: PostalAddress) -> String {
        var parts = [address.city, address.street, address.building]
        if let apartment = address.apartment, !apartment.isEmpty { parts.append("кв. \(apartment)") }
        return parts.joined(separator: ", ")
    }
}
