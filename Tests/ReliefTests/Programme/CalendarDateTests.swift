import Testing
@testable import Relief

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("every day from 2000 to 2199 reads back from its text, and bad text is refused")
    func readsBack() throws {
        let first = try #require(CalendarDate("2000-01-01")), last = try #require(CalendarDate("2199-12-31"))
        // 2000-01-01 is day 10,957 after 1970-01-01 (30 years, 7 of them leap: 30 × 365 + 7).
        #expect(first.ordinal == 10_957)
        for n in first.ordinal...last.ordinal {
            let text = CalendarDate(ordinal: n).description
            #expect(CalendarDate(text)?.ordinal == n, "\(text)")
        }
        for bad in ["", "2026-02-29", "2024-02-30", "1999-12-31", "2200-01-01", "2026-13-01", "2026-00-10", "2026-1-01",
                    "2026-01-001", "2026/01/01", "２０２６-01-01", "2026-01-0a", "2026-04-31"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("2024-02-29") != nil)
    }
}
