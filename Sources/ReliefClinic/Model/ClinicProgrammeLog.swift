import Foundation
import Relief

/// The patient's clinic record as the programme log that ``ProgrammePlanner`` adapts the
/// published programme to (README, "For clinics: the programme follows the log"). Pure: a
/// function of the log entries, the clearances, the programme's dates and the patient's screen.
///
/// A clinic's log has a day's entries as the patient's page takes them (any number a day: "I did
/// today's session", "pain now", a symptom); the programme's has one session and one morning
/// pain a day. The reading, the same the clinic's alerts use (``AlertRules/pains(_:)``):
/// - **the day's pain** is the last pain logged that day (the programme's morning pain, which
///   its flare, settling, maintenance and review rules read);
/// - **a session** is a day with any entry marked done: the exercises listed (all of the day's
///   session when none are), with the pain and effort of the last such entry as its pain after
///   and effort; a day marked done with no session planned is left out
///   (``ProgrammeLog/ignoresDoneOnNoSessionDays``);
/// - **symptoms** are the symptoms, and **clearances** the clinicians' (``Clearance``), in the
///   order they were recorded; a clearance counts only while a symptom that stops the sessions
///   is open (one with nothing to clear changes nothing).
///
/// Only the programme's days up to today count. A symptom that stopped the sessions before the
/// programme started and was not cleared stays open: it is carried to the first day, so
/// publishing a new version never resumes sessions a clinician has not cleared.
public enum ClinicProgrammeLog {
    /// The log's name in the programme's evidence and errors.
    public static let file = "clinic log"

    /// A symptom that stops the sessions, not yet cleared: from its day, with every symptom
    /// logged while it is open and the most urgent finding among them.
    public struct OpenPause: Sendable, Hashable {
        public let from: CalendarDate
        public let symptoms: [LogEntry.Symptom]
        public let finding: ScreenFinding
    }

    /// One of the record's safety events in the order recorded.
    enum Event {
        case symptom(LogEntry.Symptom, day: CalendarDate)
        case clearance(day: CalendarDate)
        var day: CalendarDate {
            switch self {
            case .symptom(_, let d), .clearance(let d): d
            }
        }
    }

    static func events(_ logs: [PatientLogEntry], _ clearances: [Clearance]) -> [Event] {
        var timed: [(CalendarDate, Date, String, Event)] = []
        for l in logs { if let s = l.entry.symptom { timed.append((l.entry.day, l.recordedAt, l.id.rawValue, .symptom(s.symptom, day: l.entry.day))) } }
        for c in clearances { timed.append((c.day, c.recordedAt, c.id.rawValue, .clearance(day: c.day))) }
        timed.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        return timed.map(\.3)
    }

    static func finding(_ s: LogEntry.Symptom, patient: PatientDetails) -> ScreenFinding {
        RedFlagScreen.assess(symptom: s, answers: patient.screenAnswers.isEmpty ? nil : patient.screenAnswers, conditions: patient.conditions)
    }

    /// The pause open after every event up to and including `through` (nil: all of them).
    public static func openPause(logs: [PatientLogEntry], clearances: [Clearance], patient: PatientDetails,
                                 through: CalendarDate? = nil) -> OpenPause? {
        var open: OpenPause?
        for e in events(logs, clearances) where through.map({ e.day <= $0 }) ?? true {
            switch e {
            case let .symptom(s, day):
                let f = finding(s, patient: patient)
                guard f.blocks else { continue }
                if let o = open {
                    open = OpenPause(from: o.from, symptoms: o.symptoms.contains(s) ? o.symptoms : o.symptoms + [s],
                                     finding: f.urgency > o.finding.urgency ? f : o.finding)
                } else {
                    open = OpenPause(from: day, symptoms: [s], finding: f)
                }
            case .clearance:
                open = nil
            }
        }
        return open
    }

    /// The programme log of the days from `start` to the earlier of `end` and `today`.
    public static func log(logs: [PatientLogEntry], clearances: [Clearance], patient: PatientDetails,
                           start: CalendarDate, end: CalendarDate, today: CalendarDate) -> ProgrammeLog {
        let last = min(end, today)
        var entries: [LogEntry] = []
        func add(_ date: CalendarDate, _ fact: LogEntry.Fact) {
            var e = LogEntry(date: date, fact: fact)
            e.line = entries.count + 1
            entries.append(e)
        }
        guard start <= last else { return ProgrammeLog(file: file, entries: [], ignoresDoneOnNoSessionDays: true) }
        // Carried over: the pause open when the programme starts.
        let carried = openPause(logs: logs, clearances: clearances, patient: patient, through: start.adding(days: -1))
        var open = carried != nil
        for s in carried?.symptoms ?? [] { add(start, .symptom(s)) }
        let safety = events(logs, clearances).filter { $0.day >= start && $0.day <= last }
        var byDay: [CalendarDate: [PatientLogEntry]] = [:]
        for l in logs where l.entry.day >= start && l.entry.day <= last { byDay[l.entry.day, default: []].append(l) }
        var k = 0
        for ordinal in start.ordinal...last.ordinal {
            let day = CalendarDate(ordinal: ordinal)
            let entriesOfDay = (byDay[day] ?? []).sorted { ($0.recordedAt, $0.id.rawValue) < ($1.recordedAt, $1.id.rawValue) }
            let done = entriesOfDay.filter(\.entry.sessionDone)
            if !done.isEmpty {
                var ids: [String] = []
                for d in done { for id in d.entry.exercisesDone where !ids.contains(id) { ids.append(id) } }
                add(day, .session(done: ids.isEmpty ? .all : .some(ids), painBefore: nil,
                                  painAfter: done.last(where: { $0.entry.pain != nil })?.entry.pain.map(Double.init),
                                  effort: done.last(where: { $0.entry.effort != nil })?.entry.effort.map(Double.init)))
            }
            if let pain = entriesOfDay.last(where: { $0.entry.pain != nil })?.entry.pain { add(day, .morning(pain: Double(pain))) }
            while k < safety.count, safety[k].day == day {
                switch safety[k] {
                case .symptom(let s, _):
                    add(day, .symptom(s))
                    if finding(s, patient: patient).blocks { open = true }
                case .clearance:
                    if open { add(day, .cleared) }
                    open = false
                }
                k += 1
            }
        }
        return ProgrammeLog(file: file, entries: entries, ignoresDoneOnNoSessionDays: true)
    }
}
