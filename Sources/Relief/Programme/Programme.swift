internal import GLPK

/// The two phases of a programme.
public enum Phase: String, Sendable, Hashable, Codable {
    /// Sessions on most days, each covering every cause.
    case relief
    /// Fewer, longer sessions, never on consecutive days, mostly strengthening, with walking.
    case maintenance
}

/// How a programme is shaped: the defaults follow docs/clinical-review.md ("A programme, in
/// numbers"); every one can be set from the command line or a profile's `programme` object.
public struct ProgrammeSettings: Sendable, Hashable {
    /// The first day (YYYY-MM-DD); weeks run seven days from it.
    public var start: CalendarDate
    public var weeks: Int = 6
    /// Weeks of the relief phase before maintenance (at least; a log may hold it longer).
    public var reliefWeeks: Int = 4
    /// Relief sessions a week.
    public var days: Int = 5
    /// Maintenance sessions a week, never on consecutive days.
    public var maintenanceDays: Int = 3
    public var maintenanceMinutes: Double = 25
    /// Share of the maintenance week's session time on strengthening.
    public var maintenanceStrengthShare: Double = 0.5
    /// The walking a week ramps up to (minutes; WHO 2020: 150-300 minutes of moderate activity
    /// a week).
    public var walkMinutes: Double = 150
    /// The first week's walking (minutes), where the ramp starts; nil: 10 a relief session day.
    public var reliefWalkMinutes: Double? = nil
    /// Each exercise on at most this many days a week.
    public var maxDaysPerExercise: Int = 4
    /// At most this many exercises a week that no earlier week had (Henry et al., Phys Ther
    /// 1999;79:270: adherence is better with 2-3 exercises than with 8).
    public var maxNewExercises: Int = 2
    /// At most this many different exercises in the first week (Henry et al. 1999).
    public var firstWeekExercises: Int = 4
    /// The first week's sessions use at least this share of their minutes; each week after
    /// (unless a flare or overload cuts it) `doseStep` more, up to ``DoseRamp/fullShare``.
    public var startShare: Double = 0.5
    public var doseStep: Double = 0.1
    /// A flare at the start lasts this many weeks (its `acute-flare` rules apply in them, then
    /// lift); nil: ``DoseRamp/flareWeeks`` when the conditions include `acute-flare`, else none.
    public var flareWeeks: Int? = nil
    /// The week's total time grows by at most this fraction over the week before.
    public var maxGrowth: Double = 0.2
    /// The person's usual pain (0-10), the baseline of the log's rules; nil: the first
    /// morning pain logged.
    public var usualPain: Double? = nil
    /// When the calendar puts each session (HH:MM, the person's local time).
    public var sessionTime: String = "08:00"

    public init(start: CalendarDate) { self.start = start }

    public var end: CalendarDate { start.adding(days: 7 * weeks - 1) }
    public var reliefWalk: Double { reliefWalkMinutes ?? 10 * Double(days) }

    /// The settings keys, as JSON and profiles spell them.
    public static let keys = ["start", "weeks", "relief_weeks", "days", "maintenance_days", "maintenance_minutes",
                              "maintenance_strength_share", "walk_minutes", "relief_walk_minutes",
                              "max_days_per_exercise", "max_new_exercises", "first_week_exercises", "start_share", "dose_step",
                              "flare_weeks", "max_growth", "usual_pain", "session_time"]

    static let weeksRange = NumberRange(1, 52, whole: true)
    static let daysRange = NumberRange(1, 6, whole: true)
    static let maintenanceDaysRange = NumberRange(1, 3, whole: true)
    static let walkRange = NumberRange(0, 2_000)
    static let dayCountRange = NumberRange(1, 7, whole: true)
    static let newRange = NumberRange(0, 100, whole: true)
    static let growthRange = NumberRange(0, 1)
    static let firstWeekRange = NumberRange(1, 100, whole: true)
    static let shareRange = NumberRange(0, 1)
    static let flareRange = NumberRange(0, 52, whole: true)
    static let painRange = NumberRange(0, 10)

    /// Every value outside its range, named by its JSON key.
    public func problems() -> [RequestProblem] {
        var out: [RequestProblem] = []
        func check(_ field: String, _ x: Double, _ range: NumberRange) {
            if !range.contains(x) { out.append(RequestProblem(field: field, value: readable(x), expected: range.expected)) }
        }
        check("weeks", Double(weeks), Self.weeksRange)
        if Self.weeksRange.contains(Double(weeks)), start.ordinal + weeks * 7 - 1 > CalendarDate.last.ordinal {
            out.append(RequestProblem(field: "start", value: start.description,
                                      expected: "a start from which \(weeks) weeks end by \(CalendarDate.last) (dates run from 2000-01-01 to 2199-12-31)"))
        }
        check("relief_weeks", Double(reliefWeeks), Self.weeksRange)
        if reliefWeeks > weeks && Self.weeksRange.contains(Double(reliefWeeks)) {
            out.append(RequestProblem(field: "relief_weeks", value: String(reliefWeeks), expected: "at most weeks (\(weeks))"))
        }
        check("days", Double(days), Self.daysRange)
        check("maintenance_days", Double(maintenanceDays), Self.maintenanceDaysRange)
        check("maintenance_minutes", maintenanceMinutes, Limits.minutes)
        check("maintenance_strength_share", maintenanceStrengthShare, Limits.strengthShare)
        check("walk_minutes", walkMinutes, Self.walkRange)
        if let reliefWalkMinutes { check("relief_walk_minutes", reliefWalkMinutes, Self.walkRange) }
        check("max_days_per_exercise", Double(maxDaysPerExercise), Self.dayCountRange)
        check("max_new_exercises", Double(maxNewExercises), Self.newRange)
        check("first_week_exercises", Double(firstWeekExercises), Self.firstWeekRange)
        check("start_share", startShare, Self.shareRange)
        check("dose_step", doseStep, Self.shareRange)
        if let flareWeeks { check("flare_weeks", Double(flareWeeks), Self.flareRange) }
        check("max_growth", maxGrowth, Self.growthRange)
        if let usualPain { check("usual_pain", usualPain, Self.painRange) }
        if Self.minutesOfDay(sessionTime) == nil {
            out.append(RequestProblem(field: "session_time", value: "\"\(sessionTime)\"", expected: "a time HH:MM, e.g. 07:30"))
        }
        return out
    }

    public static func minutesOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) && $0.allSatisfy(\.isASCII) }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        return h * 60 + m
    }

    /// Reads settings keys from a JSON object over `base`; type problems with line:column.
    /// Keys not in ``keys`` are left to the caller.
    public static func decode(_ node: JSONNode, over base: ProgrammeSettings) -> (ProgrammeSettings, [RequestProblem]) {
        var s = base
        var problems: [RequestProblem] = []
        guard case .object(let members) = node.value else {
            return (s, [RequestProblem(field: "programme", value: node.shown, expected: "an object of programme settings",
                                       line: node.line, column: node.column)])
        }
        for m in members {
            let n = m.value
            func bad(_ expected: String) {
                problems.append(RequestProblem(field: m.key, value: n.shown, expected: expected, line: n.line, column: n.column))
            }
            if case .null = n.value { continue }
            var number: Double? { if case .number(let x, _) = n.value { return x }; return nil }
            func whole(_ range: NumberRange) -> Int? {
                guard let x = number else { bad(range.expected); return nil }
                guard range.contains(x) else { bad(range.expected); return nil }
                return Int(x)
            }
            func real(_ range: NumberRange) -> Double? {
                guard let x = number, range.contains(x) else { bad(range.expected); return nil }
                return x
            }
            switch m.key {
            case "start":
                if case .string(let text) = n.value, let date = CalendarDate(text) { s.start = date } else { bad(CalendarDate.expected) }
            case "weeks": if let x = whole(weeksRange) { s.weeks = x }
            case "relief_weeks": if let x = whole(weeksRange) { s.reliefWeeks = x }
            case "days": if let x = whole(daysRange) { s.days = x }
            case "maintenance_days": if let x = whole(maintenanceDaysRange) { s.maintenanceDays = x }
            case "maintenance_minutes": if let x = real(Limits.minutes) { s.maintenanceMinutes = x }
            case "maintenance_strength_share": if let x = real(Limits.strengthShare) { s.maintenanceStrengthShare = x }
            case "walk_minutes": if let x = real(walkRange) { s.walkMinutes = x }
            case "relief_walk_minutes": if let x = real(walkRange) { s.reliefWalkMinutes = x }
            case "max_days_per_exercise": if let x = whole(dayCountRange) { s.maxDaysPerExercise = x }
            case "max_new_exercises": if let x = whole(newRange) { s.maxNewExercises = x }
            case "first_week_exercises": if let x = whole(firstWeekRange) { s.firstWeekExercises = x }
            case "start_share": if let x = real(shareRange) { s.startShare = x }
            case "dose_step": if let x = real(shareRange) { s.doseStep = x }
            case "flare_weeks": if let x = whole(flareRange) { s.flareWeeks = x }
            case "max_growth": if let x = real(growthRange) { s.maxGrowth = x }
            case "usual_pain": if let x = real(painRange) { s.usualPain = x }
            case "session_time":
                if case .string(let text) = n.value, minutesOfDay(text) != nil { s.sessionTime = text } else { bad("a time HH:MM, e.g. 07:30") }
            default:
                problems.append(RequestProblem(field: m.key, value: nil, expected: "unknown key; expected one of \(keys.joined(separator: ", "))",
                                               line: n.line, column: n.column))
            }
        }
        // A shorter programme without its own relief_weeks is relief for as long as it lasts
        // (as `relief programme --weeks 2` is).
        if members.contains(where: { $0.key == "weeks" }), !members.contains(where: { $0.key == "relief_weeks" }) {
            s.reliefWeeks = min(s.reliefWeeks, s.weeks)
        }
        return (s, problems)
    }
}

/// A day of a programme: a session, a walk, both or neither.
public struct ProgrammeDay: Sendable, Hashable {
    public let date: CalendarDate
    /// The session's exercises in order; empty on a rest day.
    public let session: [PlannedExercise]
    public var sessionSeconds: Double { session.last?.runningSeconds ?? 0 }
    /// The day's walk (minutes) and which activity (the catalogue's aerobic exercise).
    public let walkMinutes: Double
    public let walkID: String?
    /// Which of the week's two sessions (A or B) this day does; nil on a rest day.
    public let sessionName: String?
    public var isSessionDay: Bool { !session.isEmpty }
    /// No session or walk: a symptom that needs a clinician paused the programme (see the
    /// programme's pauses).
    public var paused: Bool = false
}

/// How a week's plan ended.
public enum WeekStatus: String, Sendable, Hashable, Codable {
    /// Proven the shortest week that keeps every rule.
    case optimal
    /// Keeps every rule, not proven shortest (the time limit ran out).
    case feasible
    /// No week keeps every rule (see the week's notes).
    case infeasible
    /// Not planned: the programme stopped before it (see the decisions).
    case stopped
}

/// One week of a programme.
public struct ProgrammeWeek: Sendable, Hashable {
    /// The names of a week's sessions, in order (a week has at most two different sessions).
    public static let sessionNames = WeekModel.names
    public let number: Int
    public let phase: Phase
    public let status: WeekStatus
    public let days: [ProgrammeDay]
    /// The week's time, sessions and walks.
    public let totalSeconds: Double
    /// Per cause id: the week's coverage, sessions and walks.
    public let coverage: [String: Double]
    /// Per-session minimums this week (cause id → points).
    public let sessionMinimums: [String: Double]
    /// The rules at their limit, in words.
    public let binding: [String]
    /// Each ladder's current step (the easiest exercise of the ladder → the one used).
    public let ladders: [String: String]
    public let notes: [String]

    public var sessionCount: Int { days.filter(\.isSessionDay).count }
    public var walkingMinutes: Double { days.reduce(0) { $0 + $1.walkMinutes } }
    /// The week's session time (walks not included).
    public var sessionSeconds: Double { days.reduce(0) { $0 + $1.sessionSeconds } }
    /// The week's strengthening time: the sets of its strengthening exercises (setup not
    /// included; balance is not strengthening).
    public var strengthSeconds: Double {
        days.reduce(0) { $0 + $1.session.filter(\.strengthens).reduce(0) { $0 + $1.seconds - $1.setupSeconds } }
    }
    public var exerciseIDs: Set<String> { Set(days.flatMap { $0.session.map(\.id) }) }

    /// The week with no session or walk on `dates` (a symptom's pause); its time counts only
    /// the days left.
    func pausing(_ dates: Set<CalendarDate>) -> ProgrammeWeek {
        let kept = days.map { day in
            dates.contains(day.date)
                ? ProgrammeDay(date: day.date, session: [], walkMinutes: 0, walkID: nil, sessionName: nil, paused: true) : day
        }
        let removed = days.filter { dates.contains($0.date) }.reduce(0) { $0 + $1.sessionSeconds + $1.walkMinutes * 60 }
        return ProgrammeWeek(number: number, phase: phase, status: status, days: kept, totalSeconds: totalSeconds - removed,
                             coverage: coverage, sessionMinimums: sessionMinimums, binding: binding, ladders: ladders,
                             notes: notes + ["no sessions \(Self.span(dates)): a symptom that needs a clinician (see the top)"])
    }

    static func span(_ dates: Set<CalendarDate>) -> String {
        guard let first = dates.min(), let last = dates.max() else { return "" }
        return first == last ? "on \(first)" : "from \(first) to \(last)"
    }
}

/// What the log led to, with the entries that caused it.
public struct Decision: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case stepUp = "step_up", hold, stepDown = "step_down", toMaintenance = "to_maintenance",
             stayInRelief = "stay_in_relief", backToRelief = "back_to_relief", flare, stop, baseline,
             /// Sessions too much: the load is cut.
             overload,
             /// Mornings settled after a flare or overload: progression may go on.
             settled,
             /// A clinician cleared the person: sessions resume.
             resume,
             /// No meaningful change after weeks of the programme: see a clinician for a review.
             review,
             /// A symptom whose tier advises a routine review; the programme goes on.
             advice,
             /// The flare at the start has had its weeks: back to the plan.
             flareEnds = "flare_ends"
    }
    /// The week the decision takes effect from.
    public let week: Int
    public let kind: Kind
    public let text: String
    /// The log entries that caused it ("line 3: 2026-12-02 session done, pain 5 → 4").
    public let evidence: [String]
    /// The day it takes effect from, when not the first day of `week` (a symptom stops the
    /// sessions from its own date).
    public var date: CalendarDate? = nil
}

/// A programme: its settings and request, the weeks planned, and what the log decided.
public struct Programme: Sendable {
    public let settings: ProgrammeSettings
    public let request: PlanRequest
    public let weeks: [ProgrammeWeek]
    public let decisions: [Decision]
    public let excluded: [Exclusion]
    public let notes: [String]
    /// The red-flag screen: with a red flag nothing is planned.
    public let screen: ScreenResult
    /// The pauses the log's symptoms made, in order.
    public var pauses: [SessionPause] = []
    /// The weeks of the flare at the start (0: none).
    public var flareWeeks: Int = 0
    /// The walking exercise as the person does it (its instructions, stop cue and their
    /// cautions); nil when the programme has no walking.
    public var walking: PlannedExercise? = nil
    /// The outcome measures the log holds, their schedule and the weekly messages (README,
    /// "Outcome measures"); nil when nothing is planned (a red flag on the screen).
    public var outcomes: ProgrammeOutcomes? = nil
    /// The pause still open: a symptom that needs a clinician, not yet cleared. Nothing is
    /// planned from its date until the log records a clearance.
    public var urgency: SessionPause? { pauses.last { $0.cleared == nil } }
    /// Whether an open pause stops the programme.
    public var stopped: Bool { urgency != nil }
    /// The non-response review, when the log asked for one.
    public var review: Decision? { decisions.last { $0.kind == .review } }
    /// The day a decision takes effect from.
    public func date(of d: Decision) -> CalendarDate { d.date ?? settings.start.adding(days: 7 * (d.week - 1)) }
    public var infeasible: Bool { weeks.contains { $0.status == .infeasible } }
    /// The hours Hayden et al. 2005 found programmes did better from (``DoseRamp/haydenHours``).
    public static var haydenHours: Double { DoseRamp.haydenHours }
    /// Hours of sessions, of walking and in all, summed over the weeks planned.
    public var sessionHours: Double { weeks.reduce(0) { $0 + $1.sessionSeconds } / 3600 }
    public var walkingHours: Double { weeks.reduce(0) { $0 + $1.walkingMinutes } / 60 }
    public var totalHours: Double { sessionHours + walkingHours }
    /// The programme's hours against Hayden et al.'s 20, in words: below it, what would reach it.
    public var doseSummary: String {
        let total = totalHours
        let hours = { (h: Double) in formatAmount((h * 10).rounded() / 10) }
        var text = "\(hours(total)) hours in \(settings.weeks) week\(settings.weeks == 1 ? "" : "s") (sessions \(hours(sessionHours)), walking \(hours(walkingHours)))"
        let reference = DoseRamp.haydenHours
        if total >= reference - 1e-9 {
            text += ": at or above the 20 hours of the exercise programmes that did better (Hayden et al., Ann Intern Med 2005;142:776)"
            return text
        }
        text += ": below the 20 hours of the exercise programmes that did better (Hayden et al., Ann Intern Med 2005;142:776)"
        let last = weeks.last { $0.status == .optimal || $0.status == .feasible }
        if let last, last.totalSeconds > 0 {
            let perWeek = last.totalSeconds / 3600
            let more = Int(((reference - total) / perWeek - 1e-9).rounded(.up))
            text += "; \(more) more week\(more == 1 ? "" : "s") at the last week's \(hours(perWeek)) hours would reach it"
        }
        return text
    }
    /// Whether every planned week is proven optimal.
    public var proven: Bool { weeks.allSatisfy { $0.status == .optimal || $0.status == .stopped } }
}
