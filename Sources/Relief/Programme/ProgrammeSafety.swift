/// Days with no sessions: from a symptom whose tier blocks (``RedFlagScreen/Urgency/blocks``)
/// until the day the person logs that a clinician has cleared them; sessions resume the day
/// after. While a pause is open nothing after it is planned (README, "Symptoms and clearance").
public struct SessionPause: Sendable, Hashable {
    /// The first day without sessions: the symptom's date.
    public let from: CalendarDate
    /// The clearance's date; nil while the pause is open.
    public let cleared: CalendarDate?
    /// The most urgent finding of the symptoms logged in the pause.
    public let finding: ScreenFinding
    /// The symptoms, in words.
    public let symptoms: [String]
    /// The log entries that opened (and closed) it.
    public let evidence: [String]

    public func contains(_ day: CalendarDate) -> Bool { day >= from && cleared.map { day <= $0 } ?? true }
    /// The day sessions resume, once cleared.
    public var resumes: CalendarDate? { cleared?.adding(days: 1) }
}

/// The log's safety facts, read before any week is planned: they depend on the log alone.
struct LogSafety {
    var pauses: [SessionPause] = []
    /// Symptoms whose tier only advises (a routine review): the entry and its finding.
    var advisories: [(LogEntry, ScreenFinding)] = []

    /// `file`: the log's name for errors (a clearance with nothing to clear).
    init(entries: [LogEntry], request: PlanRequest, file: String) throws {
        var open: (from: CalendarDate, finding: ScreenFinding, symptoms: [String], evidence: [String])?
        for entry in entries.sorted(by: { ($0.date, $0.line) < ($1.date, $1.line) }) {
            switch entry.fact {
            case .symptom(let symptom):
                let finding = RedFlagScreen.assess(symptom: symptom, answers: request.screen, conditions: request.conditions)
                guard finding.blocks else {
                    advisories.append((entry, finding))
                    continue
                }
                if var o = open {
                    if finding.urgency > o.finding.urgency { o.finding = finding }
                    if !o.symptoms.contains(symptom.words) { o.symptoms.append(symptom.words) }
                    o.evidence.append(entry.summary)
                    open = o
                } else {
                    open = (entry.date, finding, [symptom.words], [entry.summary])
                }
            case .cleared:
                guard let o = open else {
                    throw DataErrors([DataIssue(file: file, line: entry.line, column: 1,
                                                "a clearance on \(entry.date) but no symptom that stops the sessions is logged before it; log the symptom first, or remove this line")])
                }
                pauses.append(SessionPause(from: o.from, cleared: entry.date, finding: o.finding, symptoms: o.symptoms,
                                           evidence: o.evidence + [entry.summary]))
                open = nil
            default: continue
            }
        }
        if let o = open {
            pauses.append(SessionPause(from: o.from, cleared: nil, finding: o.finding, symptoms: o.symptoms, evidence: o.evidence))
        }
    }

    func pause(on day: CalendarDate) -> SessionPause? { pauses.first { $0.contains(day) } }
}

/// The pain rules of the log, as pure functions of the morning pains (README, "Adapting to
/// the log"): recent pain is a median, never one entry.
enum PainRules {
    /// Mornings within this many days before a day make its recent pain.
    static let window = 14
    /// At least this many mornings make a median.
    static let leastMornings = 3
    /// A flare: mornings at least this far above the reference ...
    static let flareRise = 2.0
    /// ... on at least this many logged days in a row.
    static let flareDays = 2
    /// Settled: this many mornings in a row at most this far above the reference.
    static let settledMornings = 3, settledMargin = 1.0
    /// A session is too much when its pain after is above this (Silbernagel et al.: exercise
    /// pain up to 5/10 is acceptable) and at least `tooMuchRise` above the pain before.
    static let tolerablePain = 5.0, tooMuchRise = 2.0
    /// Sessions too much in a week that cut the load.
    static let tooMuchSessions = 2
    /// The week's time after a cut, as a share of the week before (fewer sets).
    static let cutShare = 0.8
    /// Non-response: the weeks after which no meaningful change asks for a review, and the
    /// minimal important change (Ostelo et al., Spine 2008: 2 points or 30 %).
    static let reviewWeeks = 4, importantPoints = 2.0, importantShare = 0.3

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The median of the mornings in the `window` days before `day` (not counting it); nil
    /// with fewer than `leastMornings`.
    static func recent(before day: CalendarDate, _ mornings: [CalendarDate: Double]) -> Double? {
        let xs = (1...window).compactMap { mornings[day.adding(days: -$0)] }
        return xs.count >= leastMornings ? median(xs) : nil
    }

    /// What a rise is judged against at `day`: the recent median, else the usual pain given.
    static func reference(at day: CalendarDate, _ mornings: [CalendarDate: Double], usual: Double?) -> Double? {
        recent(before: day, mornings) ?? usual
    }

    /// Flares ending in the days `range`: each the longest run of consecutive logged days with
    /// morning pain at least `flareRise` above the reference at the run's first day, at least
    /// `flareDays` long. Returns the run's dates and its reference.
    static func flares(in range: ClosedRange<CalendarDate>, _ mornings: [CalendarDate: Double], usual: Double?)
        -> [(days: [CalendarDate], reference: Double)] {
        var out: [(days: [CalendarDate], reference: Double)] = []
        var run: [CalendarDate] = []
        var reference: Double?
        func close() {
            if run.count >= flareDays, let r = reference, let last = run.last, range.contains(last) { out.append((run, r)) }
            run = []
            reference = nil
        }
        for day in mornings.keys.sorted() where day <= range.upperBound {
            guard let p = mornings[day] else { continue }
            if let r = reference, let last = run.last, last.adding(days: 1) == day, p >= r + flareRise {
                run.append(day)
                continue
            }
            close()
            if let r = Self.reference(at: day, mornings, usual: usual), p >= r + flareRise {
                run = [day]
                reference = r
            }
        }
        close()
        return out
    }

    /// Whether the mornings have settled by `day`: the last `settledMornings` logged mornings
    /// up to it are consecutive days after `after` (the trouble's week), each at most
    /// `settledMargin` above `reference`.
    static func settled(by day: CalendarDate, after: CalendarDate, _ mornings: [CalendarDate: Double], reference: Double) -> Bool {
        let last = mornings.keys.filter { $0 <= day && $0 > after }.sorted().suffix(settledMornings)
        guard last.count == settledMornings, let first = last.first, let end = last.last,
              end.ordinal - first.ordinal == settledMornings - 1 else { return false }
        return last.allSatisfy { (mornings[$0] ?? .infinity) <= reference + settledMargin + 1e-9 }
    }

    /// Whether a session was too much: pain after above `tolerablePain` and at least
    /// `tooMuchRise` above the pain before (or the reference when none is logged).
    static func tooMuch(after: Double?, before: Double?, reference: Double?) -> Bool {
        guard let after, after > tolerablePain + 1e-9 else { return false }
        guard let base = before ?? reference else { return true }
        return after >= base + tooMuchRise - 1e-9
    }

    /// A meaningful improvement from `start` to `now` (Ostelo 2008): at least 2 points or 30 %.
    static func improved(from start: Double, to now: Double) -> Bool {
        start - now >= importantPoints - 1e-9 || (start > 0 && (start - now) / start >= importantShare - 1e-9)
    }
}
