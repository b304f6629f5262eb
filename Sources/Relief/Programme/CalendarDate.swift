/// A day of the proleptic Gregorian calendar, with no time zone: a programme's days are the
/// person's local days, whatever the machine's zone (so the same input gives the same bytes).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// The dates Relief reads, in words for messages.
    public static let expected = "a date YYYY-MM-DD from 2000-01-01 to 2199-12-31"
    /// The last day a date may be (a programme must end by it).
    public static let last = CalendarDate(ordinal: ordinal(year: 2199, month: 12, day: 31))

    /// Reads `YYYY-MM-DD` (years 2000-2199); nil for anything else, including 2026-02-30.
    /// One pass over the bytes, with no splitting or string conversions: the clinic's patient
    /// list reads one a patient, and the splitting reader was a quarter of that list's time.
    public init?(_ text: String) {
        var fields = (0, 0, 0)
        var count = 0
        for b in text.utf8 {
            count += 1
            guard count <= 10 else { return nil }
            if count == 5 || count == 8 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let digit = Int(b - UInt8(ascii: "0"))
            switch count {
            case 1...4: fields.0 = fields.0 * 10 + digit
            case 6...7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        let (y, m, d) = fields
        guard count == 10, (2000...2199).contains(y), (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y) else { return nil }
        ordinal = Self.ordinal(year: y, month: m, day: d)
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from civil (H. Hinnant's algorithm).
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 }
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    public var weekdayName: String { Self.weekdayNames[weekday] }

    public func adding(days n: Int) -> CalendarDate { CalendarDate(ordinal: ordinal + n) }

    public var description: String {
        let (y, m, d) = components
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
    /// `20261201`, as iCalendar writes dates.
    public var compact: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.ordinal < b.ordinal }

    /// Today in UTC (the caller may pass its own "today" instead, as tests do).
    public static func today(secondsSince1970: Double) -> CalendarDate {
        CalendarDate(ordinal: Int((secondsSince1970 / 86_400).rounded(.down)))
    }
}
