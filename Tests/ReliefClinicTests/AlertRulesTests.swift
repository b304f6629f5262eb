import Foundation
import Relief
@testable import ReliefClinic
import Testing

/// The alerts time and the log raise, on records built by hand; every expected count and key
/// worked out here from the rules' words (README, "Alerts"), not from the program.
@Suite("Alert rules")
struct AlertRulesTests {
    static let start = CalendarDate("2026-12-01")!          // a Tuesday
    static let patient = Patient.ID(rawValue: "p")
    static let programme = AlertRules.Published(version: 1, start: start, planned: [5, 5, 5, 5, 3, 3])

    static func day(_ d: Int) -> CalendarDate { start.adding(days: d - 1) }   // day(1) is the start

    static func log(_ d: Int, done: Bool = false, pain: Int? = nil, symptom: LoggedSymptom? = nil, second: Double = 0) -> PatientLogEntry {
        PatientLogEntry(id: .random(), patient: patient,
                        entry: LogDraft(day: day(d), sessionDone: done, exercisesDone: [], pain: pain, effort: nil, symptom: symptom),
                        recordedAt: Date(timeIntervalSince1970: 1_796_083_200 + Double(d) * 86_400 + second))
    }

    func kinds(_ logs: [PatientLogEntry], today: Int, usual: Int = 3, existing: [Alert] = []) -> [String: String] {
        var out: [String: String] = [:]
        for f in AlertRules.findings(logs: logs, published: Self.programme, usualPain: usual, today: Self.day(today), existing: existing) {
            out[f.kind.code] = f.key
        }
        return out
    }

    @Test("a week's sessions: the days logged done, a day counted once, at most the planned")
    func weekSessions() {
        let logs = [Self.log(1, done: true), Self.log(2, done: true), Self.log(2, done: true, second: 60), Self.log(3), Self.log(8, done: true)]
        let weeks = AlertRules.weeks(logs, Self.programme, through: Self.day(10))
        // Days 1-7 are week 1 (two days done: 1 and 2; day 3 was logged not done), days 8-14 week 2.
        #expect(weeks.map(\.week) == [1, 2])
        #expect(weeks.map(\.done) == [2, 1])
        #expect(weeks.map(\.planned) == [5, 5])
        #expect(weeks[1].first == Self.day(8) && weeks[1].last == Self.day(14))
    }

    @Test("low adherence: under half the last complete week's sessions; exactly half is not under half")
    func lowAdherence() {
        // Week 1 ends on day 7; on day 8 it is the last complete week.
        #expect(kinds([Self.log(1, done: true), Self.log(2, done: true), Self.log(7)], today: 8)["low-adherence"] == "week 1")   // 2 of 5
        #expect(kinds([Self.log(1, done: true), Self.log(2, done: true), Self.log(3, done: true)], today: 8)["low-adherence"] == nil)   // 3 of 5
        // Week 5 plans 3: 1 done is under half (2 < 3), and on day 36 week 5 (days 29-35) is complete.
        let w5 = [Self.log(29, done: true), Self.log(35)]
        #expect(kinds(w5, today: 36)["low-adherence"] == "week 5")
        // Nothing is judged before the first week ends.
        #expect(kinds([Self.log(1)], today: 7)["low-adherence"] == nil)
    }

    @Test("a week whose sessions a symptom paused is not low adherence")
    func pausedWeek() {
        let symptom = LoggedSymptom(symptom: .saddleNumbness, tier: .emergency)
        #expect(kinds([Self.log(1, done: true), Self.log(3, symptom: symptom)], today: 8)["low-adherence"] == nil)
    }

    @Test("no log: 7 whole days (today not counted) since the last log, or since the start, while the programme runs")
    func noLog() {
        // Last log on day 2: days 3-9 are 7 whole days on day 10; on day 9 only 6 have ended.
        #expect(kinds([Self.log(2, done: true)], today: 10)["no-log"] == "no log since 2026-12-02")
        #expect(kinds([Self.log(2, done: true)], today: 9)["no-log"] == nil)
        // Nothing logged: days 1-7 have ended on day 8.
        #expect(kinds([], today: 8)["no-log"] == "no log since the programme began on 2026-12-01")
        #expect(kinds([], today: 7)["no-log"] == nil)
        // The programme's 42 days end on day 42; a week after its end nothing is expected.
        #expect(kinds([Self.log(30)], today: 50)["no-log"] == nil)
    }

    @Test("a flare: pain 2 or more above the usual on 2 logged days running, keyed by its first day")
    func flare() {
        #expect(kinds([Self.log(5, pain: 5), Self.log(6, pain: 6)], today: 6)["flare"] == "flare from 2026-12-05")
        #expect(kinds([Self.log(5, pain: 5)], today: 6)["flare"] == nil)                      // one day
        #expect(kinds([Self.log(5, pain: 4), Self.log(6, pain: 4)], today: 6)["flare"] == nil) // 1 above
        // The last pain of a day counts: 5 then 3 on day 5 is a day at 3.
        #expect(kinds([Self.log(5, pain: 5), Self.log(5, pain: 3, second: 60), Self.log(6, pain: 6)], today: 6)["flare"] == nil)
    }

    @Test("non-response: from week 4, the last complete week's mean pain under 2 points and 30% below the usual")
    func nonResponse() {
        // Week 4 is days 22-28. Usual 6: a mean of 5 is 1 point and 17 % better: a review.
        let slow = [Self.log(22, pain: 5), Self.log(24, pain: 5), Self.log(26, pain: 5)]
        #expect(kinds(slow, today: 29, usual: 6)["non-response"] == "review of version 1")
        // A mean of 4 is 2 points better: no review.
        #expect(kinds([Self.log(22, pain: 4), Self.log(24, pain: 4)], today: 29, usual: 6)["non-response"] == nil)
        // Week 3 (days 15-21) complete on day 22 is too early.
        #expect(kinds([Self.log(15, pain: 6)], today: 22, usual: 6)["non-response"] == nil)
    }

    @Test("a finding already alerted, open or acknowledged, is not raised again; another key is")
    func deduplicated() {
        let logs = [Self.log(1, done: true), Self.log(2)]
        let old = Alert(id: .random(), patient: Self.patient, kind: .lowAdherence, detail: "week 1: 1 of 5 sessions", raisedAt: Date(),
                        acknowledged: Alert.Acknowledgement(by: .init(rawValue: "c"), at: Date(), note: "phoned"))
        #expect(kinds(logs, today: 8, existing: [old])["low-adherence"] == nil)
        let other = Alert(id: .random(), patient: Self.patient, kind: .noLog, detail: "no log since 2026-11-01: 9 days", raisedAt: Date(), acknowledged: nil)
        #expect(kinds([Self.log(2, done: true)], today: 10, existing: [other])["no-log"] == "no log since 2026-12-02")
    }
}
