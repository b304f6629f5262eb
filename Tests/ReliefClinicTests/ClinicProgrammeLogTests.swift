import Foundation
import Relief
@testable import ReliefClinic
import Testing

/// The clinic's record read as the programme's log (``ClinicProgrammeLog``), on records built by
/// hand; every expected entry worked out here from the reading's words (its documentation and
/// README "For clinics"), not from the program. Saddle numbness is an emergency and a fall that
/// did not hurt only a routine check, whatever the screen said (the red-flag table's rules
/// `cauda-equina` and `fall-no-injury`).
@Suite("The clinic's log as the programme's")
struct ClinicProgrammeLogTests {
    static let start = CalendarDate("2026-12-01")!
    static let patient = Patient.ID(rawValue: "p")
    static let clinician = Clinician.ID(rawValue: "c")
    static let details = PatientDetails(reference: "P-1", usualPain: 3)
    static func day(_ d: Int) -> CalendarDate { start.adding(days: d - 1) }   // day(1) is the start
    static func at(_ d: Int, hour: Double) -> Date { Date(timeIntervalSince1970: 1_796_083_200 + Double(d - 1) * 86_400 + hour * 3_600) }

    static func log(_ d: Int, hour: Double, done: Bool = false, exercises: [String] = [], pain: Int? = nil, effort: Int? = nil,
                    symptom: LogEntry.Symptom? = nil) -> PatientLogEntry {
        PatientLogEntry(id: .random(), patient: patient,
                        entry: LogDraft(day: day(d), sessionDone: done, exercisesDone: exercises, pain: pain, effort: effort,
                                        symptom: symptom.map { LoggedSymptom(symptom: $0, tier: .emergency) }),
                        recordedAt: at(d, hour: hour))
    }

    static func clearance(_ d: Int, hour: Double) -> Clearance {
        Clearance(id: .random(), patient: patient, day: day(d), clearedBy: clinician, note: "seen", recordedAt: at(d, hour: hour))
    }

    /// The log's entries as "day kind detail" lines, in the log's order.
    static func lines(_ logs: [PatientLogEntry], _ clearances: [Clearance] = [], start s: Int = 1, end: Int = 28, today: Int = 28) -> [String] {
        let log = ClinicProgrammeLog.log(logs: logs, clearances: clearances, patient: details, start: day(s), end: day(end), today: day(today))
        #expect(log.ignoresDoneOnNoSessionDays)
        #expect(log.entries.map(\.line) == (0..<log.entries.count).map { $0 + 1 })
        return log.entries.map { e in
            let d = e.date.ordinal - start.ordinal + 1
            switch e.fact {
            case let .session(done, before, after, effort):
                let what: String
                switch done {
                case .all: what = "all"
                case .none: what = "none"
                case .some(let ids): what = ids.joined(separator: "+")
                }
                return "\(d) session \(what) before=\(before.map { "\($0)" } ?? "-") after=\(after.map { "\($0)" } ?? "-") effort=\(effort.map { "\($0)" } ?? "-")"
            case .morning(let p): return "\(d) pain \(p)"
            case .symptom(let s): return "\(d) symptom \(s.rawValue)"
            case .cleared: return "\(d) cleared"
            default: return "\(d) other"
            }
        }
    }

    @Test("a day's entries: one session (any entry marked done) with the last done entry's pain and effort, and the last pain of the day")
    func days() {
        let logs = [
            Self.log(2, hour: 9, done: true, pain: 6, effort: 5),      // a session, pain after 6
            Self.log(2, hour: 20, pain: 4),                             // the evening: the day's last pain
            Self.log(3, hour: 8, pain: 5),                              // no session
            Self.log(4, hour: 9, done: true, exercises: ["bird-dog"]),  // two entries listing exercises: their union, in order
            Self.log(4, hour: 10, done: true, exercises: ["curl-up", "bird-dog"], effort: 3),
        ]
        #expect(Self.lines(logs) == [
            "2 session all before=- after=6.0 effort=5.0", "2 pain 4.0",
            "3 pain 5.0",
            "4 session bird-dog+curl-up before=- after=- effort=3.0",
        ])
    }

    @Test("only the programme's days up to today count")
    func range() {
        let logs = [Self.log(-2, hour: 9, pain: 7), Self.log(1, hour: 9, pain: 3), Self.log(5, hour: 9, pain: 2), Self.log(9, hour: 9, pain: 1)]
        // The programme runs days 1-7; today is day 5: day -2 is before it, day 9 after today and after its end.
        #expect(Self.lines(logs, end: 7, today: 5) == ["1 pain 3.0", "5 pain 2.0"])
        // A programme that has not started yet reads nothing.
        #expect(Self.lines(logs, start: 10, end: 16, today: 5) == [])
    }

    @Test("a symptom that stops the sessions, then a clinician's clearance; a clearance with nothing open and a routine symptom change nothing")
    func symptoms() {
        let logs = [
            Self.log(2, hour: 9, symptom: .fallNoInjury),         // routine: nothing stops
            Self.log(5, hour: 9, pain: 6, symptom: .saddleNumbness),  // an emergency: stops the sessions
        ]
        let clearances = [Self.clearance(3, hour: 12),             // before anything blocked: nothing to clear
                          Self.clearance(7, hour: 12),             // clears the pause of day 5
                          Self.clearance(8, hour: 12)]             // nothing open any more
        #expect(Self.lines(logs, clearances) == [
            "2 symptom fall-no-injury",
            "5 pain 6.0", "5 symptom saddle-numbness",
            "7 cleared",
        ])
        let open = ClinicProgrammeLog.openPause(logs: logs, clearances: [], patient: Self.details)
        #expect(open?.from == Self.day(5))
        #expect(open?.symptoms == [.saddleNumbness])
        #expect(open?.finding.urgency == .emergency)
        #expect(ClinicProgrammeLog.openPause(logs: logs, clearances: clearances, patient: Self.details) == nil)
        #expect(ClinicProgrammeLog.openPause(logs: [Self.log(2, hour: 9, symptom: .fallNoInjury)], clearances: [], patient: Self.details) == nil)
    }

    @Test("a clearance and a symptom on one day are read in the order they were recorded")
    func sameDay() {
        let symptom = Self.log(5, hour: 9, symptom: .saddleNumbness)
        // Cleared at noon: the pause of the morning ends.
        #expect(Self.lines([symptom], [Self.clearance(5, hour: 12)]) == ["5 symptom saddle-numbness", "5 cleared"])
        // A clearance recorded before the symptom had nothing to clear: the pause stays open.
        #expect(Self.lines([symptom], [Self.clearance(5, hour: 8)]) == ["5 symptom saddle-numbness"])
        #expect(ClinicProgrammeLog.openPause(logs: [symptom], clearances: [Self.clearance(5, hour: 8)], patient: Self.details)?.from == Self.day(5))
    }

    @Test("a pause open before the programme starts is carried to its first day; one cleared before it is not")
    func carried() {
        let before = Self.log(-3, hour: 9, symptom: .saddleNumbness)
        // A new version published on day 1 without a clearance: the pause goes on from day 1.
        #expect(Self.lines([before]) == ["1 symptom saddle-numbness"])
        // Cleared on day -1: the new programme starts clean.
        #expect(Self.lines([before], [Self.clearance(-1, hour: 12)]) == [])
        // Carried, then cleared on day 3.
        #expect(Self.lines([before], [Self.clearance(3, hour: 12)]) == ["1 symptom saddle-numbness", "3 cleared"])
    }
}
