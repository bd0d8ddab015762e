import Kernel

extension ProductionCalendar {
    /// The Russian production calendar: the public holidays of Labour Code art. 112 (1–8 January, 23 February,
    /// 8 March, 1 May, 9 May, 12 June, 4 November; 7 January is among the first eight) and the Government's moves.
    ///
    /// Recorded decrees:
    /// - 2025, decree No. 1335 of 4 October 2024: days off moved from 4 January to 2 May, from 5 January to
    ///   31 December, from 23 February to 8 May, from 8 March to 13 June, from Saturday 1 November to 3 November;
    ///   1 November is worked and, taking the place of the day before 4 November, is one hour shorter.
    /// - 2026, decree No. 1466 of 24 September 2025: days off moved from 3 January to 9 January and from 4 January
    ///   to 31 December; with art. 112's own moves, 9 March (for 8 March, a Sunday) and 11 May (for 9 May, a
    ///   Saturday) are off.
    ///
    /// 2027 and later: no decree confirmed when this was written, so only the recurring holidays and the
    /// automatic art. 112 move apply (a holiday outside January on a weekend leaves the next Monday off); the
    /// January weekend days the decree will move are not known. Operators add them with ``applying(settings:)``.
    public static let russia: ProductionCalendar = {
        var marks: [LocalDate: DayMark] = [:]
        func mark(_ text: String, _ value: DayMark) { marks[LocalDate(text)!] = value }
        for day in ["2025-05-02", "2025-05-08", "2025-06-13", "2025-11-03", "2025-12-31"] { mark(day, .dayOff) }
        mark("2025-11-01", .shortWorkingDay)
        for day in ["2026-01-09", "2026-03-09", "2026-05-11", "2026-12-31"] { mark(day, .dayOff) }
        return ProductionCalendar(recurringHolidays: russianHolidays, marks: marks, decreedYears: [2025, 2026])
    }()

    /// Labour Code art. 112: the non-working public holidays.
    public static let russianHolidays: Set<MonthDay> = {
        var days = Set((1...8).map { MonthDay(month: 1, day: $0) })
        for (month, day) in [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)] { days.insert(MonthDay(month: month, day: day)) }
        return days
    }()
}
