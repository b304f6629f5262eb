import Relief

/// Reading a stored `YYYY-MM-DD` without `CalendarDate.init(_:)`'s splitting and string
/// conversions: the clinician's list reads one per patient, and the general reader was a quarter
/// of that list's time (perf, release build). Same range and rules as the general reader
/// (years 2000-2199, real days only); the tests check the two agree on every day of the range.
enum DayText {
    static func parse(_ text: String) -> CalendarDate? {
        var digits: [Int] = []
        digits.reserveCapacity(8)
        var count = 0
        for (i, b) in text.utf8.enumerated() {
            count += 1
            if i == 4 || i == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
            } else {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                digits.append(Int(b - UInt8(ascii: "0")))
            }
            if count > 10 { return nil }
        }
        guard count == 10, digits.count == 8 else { return nil }
        let y = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let m = digits[4] * 10 + digits[5]
        let d = digits[6] * 10 + digits[7]
        guard (2000...2199).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return CalendarDate(ordinal: ordinal(year: y, month: m, day: d))
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 (H. Hinnant's days_from_civil, as `CalendarDate` uses).
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
