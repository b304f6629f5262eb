import Testing
import Relief
import ReliefFormats

/// A programme log's lines, written by the one JSON writer: keys in the log's order.
@Suite("Log lines")
struct LogLineTests {
    @Test("each kind of entry as one line, written out by hand")
    func lines() throws {
        let day = try #require(CalendarDate("2026-12-02"))
        #expect(try LogEntry(date: day, fact: .morning(pain: 3.5)).jsonLine() == #"{"date":"2026-12-02","kind":"morning","pain":3.5}"#)
        #expect(try LogEntry(date: day, fact: .session(done: .all, painBefore: 5, painAfter: 4, effort: 6)).jsonLine()
                == #"{"date":"2026-12-02","kind":"session","done":"all","pain_before":5,"pain_after":4,"effort":6}"#)
        // An id is a JSON string, escaped (it used to be pasted between quotes).
        #expect(try LogEntry(date: day, fact: .session(done: .some(["cat-camel", #"a"b"#]), painBefore: nil, painAfter: 2, effort: nil)).jsonLine()
                == #"{"date":"2026-12-02","kind":"session","done":["cat-camel","a\"b"],"pain_after":2}"#)
        #expect(try LogEntry(date: day, fact: .session(done: .none, painBefore: nil, painAfter: nil, effort: nil)).jsonLine()
                == #"{"date":"2026-12-02","kind":"session","done":"none"}"#)
        #expect(try LogEntry(date: day, fact: .symptom(.saddleNumbness)).jsonLine() == #"{"date":"2026-12-02","kind":"symptom","symptom":"saddle-numbness"}"#)
        #expect(try LogEntry(date: day, fact: .cleared).jsonLine() == #"{"date":"2026-12-02","kind":"cleared"}"#)
    }
}
