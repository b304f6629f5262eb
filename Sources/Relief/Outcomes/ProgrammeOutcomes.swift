/// A programme's outcome measures as its log holds them: the STarT Back group, the baseline of
/// each measure, every follow-up with its verdict against the baseline, the schedule of what
/// is due each week and the week's pain-science message. Pure: a function of the log's entries
/// and the settings.
public struct ProgrammeOutcomes: Sendable, Hashable {
    /// One day's answers, scored.
    public struct Record: Sendable, Hashable {
        public let date: CalendarDate
        public let week: Int
        /// The log line it came from.
        public let line: Int
        public let scores: [MeasureScore]
        /// Each score against its baseline (none for the baseline itself); PGIC on its own.
        public let changes: [MeasureChange]
    }

    public struct Screening: Sendable, Hashable {
        public let date: CalendarDate
        public let line: Int
        public let result: StartBack
    }

    /// The STarT Back the log holds last (a re-screen replaces the first), nil before one.
    public let startBack: Screening?
    /// The first score of each measure that compares with a baseline (not PGIC), by measure.
    public let baselines: [OutcomeMeasure: Record]
    public let records: [Record]
    public let schedule: MeasureSchedule

    public init(entries: [LogEntry], settings: ProgrammeSettings) {
        let sorted = entries.sorted { ($0.date, $0.line) < ($1.date, $1.line) }
        var screening: Screening?
        var baselines: [OutcomeMeasure: Record] = [:]
        var baselineScore: [OutcomeMeasure: Double] = [:]
        var records: [Record] = []
        for e in sorted {
            let week = (e.date.ordinal - settings.start.ordinal) / 7 + 1
            switch e.fact {
            case .startBack(let s): screening = Screening(date: e.date, line: e.line, result: s)
            case .outcome(let answers):
                // The log's reader has checked every answer; a problem here would be a bug.
                guard let scores = try? answers.scores() else { continue }
                var changes: [MeasureChange] = []
                for s in scores {
                    if s.measure == .pgic {
                        if let a = PGICAnswer(rawValue: Int(s.value)) { changes.append(.pgic(a)) }
                    } else if let b = baselineScore[s.measure] {
                        changes.append(.compare(s.measure, baseline: b, followUp: s.value))
                    }
                }
                let record = Record(date: e.date, week: week, line: e.line, scores: scores, changes: changes)
                for s in scores where s.measure != .pgic && baselineScore[s.measure] == nil {
                    baselineScore[s.measure] = s.value
                    baselines[s.measure] = record
                }
                records.append(record)
            default: continue
            }
        }
        startBack = screening
        self.baselines = baselines
        self.records = records
        let function: OutcomeMeasure = baselines[.odi] != nil && baselines[.rmdq] == nil ? .odi : .rmdq
        schedule = MeasureSchedule(weeks: settings.weeks, functionMeasure: function, group: screening?.result.group)
    }

    /// The baseline's score of `m`.
    public func baseline(_ m: OutcomeMeasure) -> MeasureScore? { baselines[m]?.scores.first { $0.measure == m } }

    /// The latest verdict of each measure, in measure order.
    public var latest: [MeasureChange] {
        OutcomeMeasure.allCases.compactMap { m in records.reversed().lazy.compactMap { $0.changes.first { $0.measure == m } }.first }
    }

    /// The records of week `w`.
    public func records(week w: Int) -> [Record] { records.filter { $0.week == w } }

    /// Week `w`'s pain-science message, in the order the STarT Back group gives.
    public func message(week w: Int) -> PainMessage { PainEducation.message(week: w, group: startBack?.result.group) }

    /// What a clinician reads first: the STarT Back group and NG59's advice, the baselines, the
    /// latest verdicts.
    public var summaryLines: [String] {
        var out: [String] = []
        if let s = startBack {
            out.append("STarT Back (\(s.date)): \(s.result.shown). NICE NG59: \(s.result.group.care).")
        } else {
            out.append("STarT Back: not yet logged; it is due in week 1 (relief log ... startback).")
        }
        let bs = OutcomeMeasure.allCases.compactMap { m in baseline(m).map { ($0, baselines[m]!.date) } }
        if !bs.isEmpty {
            out.append("Baseline: " + bs.map { "\($0.0.shown) (\($0.1))" }.joined(separator: ", ") + ".")
        }
        for c in latest { out.append("Latest: " + c.shown + ".") }
        return out
    }
}

extension ProgrammeOutcomes {
    /// The latest verdict of each measure among the records up to week `w` (a week's handout
    /// shows no later one).
    public func latestChanges(through w: Int) -> [MeasureChange] {
        let upTo = records.filter { $0.week <= w }
        return OutcomeMeasure.allCases.compactMap { m in upTo.reversed().lazy.compactMap { $0.changes.first { $0.measure == m } }.first }
    }
}
