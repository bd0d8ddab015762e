import Contracts
import Kernel

/// A made-up customer for demos and benchmarks.
public struct DemoCustomer: Sendable, Hashable {
    /// A person's grammatical gender, which their patronymic and family name agree with.
    public enum Gender: String, Sendable, Hashable, CaseIterable {
        /// Male.
        case male
        /// Female.
        case female
    }

    /// Position in the generated set.
    public var index: Int
    /// Gender.
    public var gender: Gender
    /// Family name, in the form that agrees with the gender.
    public var familyName: String
    /// Given name.
    public var givenName: String
    /// Patronymic, in the form that agrees with the gender.
    public var patronymic: String
    /// `+79…` mobile number, unique within a set.
    public var phone: String
    /// E-mail built from the transliterated name, unique within a set.
    public var email: String
    /// Preferred language.
    public var locale: String
    /// Service address.
    public var address: PostalAddress
    /// Day the first contract was signed.
    public var signedOn: LocalDate

    /// `Family Given Patronymic`.
    public var fullName: String { "\(familyName) \(givenName) \(patronymic)" }

    /// The input that registers this customer for `userID`.
    public func newCustomer(userID: String) -> NewCustomer {
        NewCustomer(userId: userID, fullName: fullName, phone: phone, email: email, locale: locale, address: address, signedOn: signedOn)
    }
}

/// Realistic Russian customers — names with correct gender agreement, real streets, mobile numbers, e-mails —
/// the same for the same seed on every machine.
public enum DemoCustomers {
    /// The first day contracts are signed on; the last is ``lastSigningDay``.
    public static let firstSigningDay = LocalDate(year: 2018, month: 1, day: 1)!
    /// The last day contracts are signed on.
    public static let lastSigningDay = LocalDate(year: 2025, month: 12, day: 31)!

    private static let mailDomains = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru"]

    /// `count` customers starting at index `start`; customer `i` is the same whatever slice it is generated in.
    public static func generate(count: Int, seed: UInt64, startingAt start: Int = 0) -> [DemoCustomer] {
        (start..<start + max(0, count)).map { customer(at: $0, seed: seed) }
    }

    /// Customer number `index` of the set `seed` names.
    public static func customer(at index: Int, seed: UInt64) -> DemoCustomer {
        var random = DemoRandom(seed: seed, index: index)
        let gender: DemoCustomer.Gender = random.chance(52) ? .female : .male
        let masculineFamily = random.pick(RussianNames.familyNames)
        let father = random.pick(RussianNames.patronymics)
        let familyName = gender == .female ? RussianNames.feminine(masculineFamily) : masculineFamily
        let givenName = random.pick(gender == .female ? RussianNames.femaleGivenNames : RussianNames.maleGivenNames)
        let patronymic = gender == .female ? father.female : father.male
        let city = random.pick(RussianAddresses.weightedCities)
        let street = random.pick(city.streets)
        var building = String(random.int(1...160))
        if random.chance(12) { building += "к\(random.int(1...4))" } else if random.chance(5) { building += random.pick(["А", "Б", "В"]) }
        let apartment = random.chance(7) ? nil : String(random.int(1...360))
        let signedOn = LocalDate(dayNumber: random.int(firstSigningDay.dayNumber...lastSigningDay.dayNumber))
        return DemoCustomer(
            index: index, gender: gender, familyName: familyName, givenName: givenName, patronymic: patronymic,
            phone: phone(index: index, seed: seed), email: email(given: givenName, family: familyName, index: index, random: &random),
            locale: random.chance(3) ? "en" : "ru", address: PostalAddress(city: city.name, street: street, building: building, apartment: apartment),
            signedOn: signedOn)
    }

    /// A `+79…` number that no other index of the same seed gets: the index scrambled by a multiplication that is
    /// one-to-one modulo 10⁹.
    static func phone(index: Int, seed: UInt64) -> String {
        let space: UInt64 = 1_000_000_000
        let scrambled = (UInt64(truncatingIfNeeded: index) % space &* 387_420_489 &+ seed % space) % space
        return "+79" + ContractNumberPattern.pad(Int(scrambled), 9)
    }

    private static func email(given: String, family: String, index: Int, random: inout DemoRandom) -> String {
        let (first, last) = (Transliteration.latin(given), Transliteration.latin(family))
        let local: String
        switch random.int(0...3) {
        case 0: local = "\(first).\(last)"
        case 1: local = "\(last).\(first)"
        case 2: local = "\(first.prefix(1)).\(last)"
        default: local = "\(last)_\(first.prefix(1))"
        }
        // The index keeps addresses unique, as auth needs: the letters never end in a digit, so no two indexes meet.
        return "\(local)\(index)@\(random.pick(mailDomains))"
    }
}
