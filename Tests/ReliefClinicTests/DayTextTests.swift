import Relief
import Testing
@testable import ReliefClinic

@Suite("Stored days")
struct DayTextTests {
    @Test("the fast reader agrees with CalendarDate's on every day from 2000 to 2199, and on bad text")
    func agrees() throws {
        let first = try #require(CalendarDate("2000-01-01")), last = try #require(CalendarDate("2199-12-31"))
        for n in first.ordinal...last.ordinal {
            let text = CalendarDate(ordinal: n).description
            #expect(DayText.parse(text)?.ordinal == n, "\(text)")
        }
        for bad in ["", "2026-02-29", "2024-02-30", "1999-12-31", "2200-01-01", "2026-13-01", "2026-00-10", "2026-1-01",
                    "2026-01-001", "2026/01/01", "２０２６-01-01", "2026-01-0a", "2026-04-31"] {
            #expect(DayText.parse(bad) == nil && CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(DayText.parse("2024-02-29") == CalendarDate("2024-02-29"))
    }
}
