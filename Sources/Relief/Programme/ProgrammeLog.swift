import Foundation

/// One fact a person logs: a session done, the morning's pain, or a symptom.
public struct LogEntry: Sendable, Hashable {
    public enum Done: Sendable, Hashable {
        /// Every exercise of the day's session.
        case all
        /// The session was skipped.
        case none
        /// These exercises (catalogue ids).
        case some([String])
    }
    /// Signs a person can report at any time: every red-flag symptom the screen asks about,
    /// and leg pain, pins and needles and spreading numbness. Each is read against the red-flag
    /// table (``RedFlagScreen/assess(symptom:answers:conditions:)``) for its tier and advice.
    public enum Symptom: String, Sendable, Hashable, CaseIterable {
        case saddleNumbness = "saddle-numbness", bladderBowel = "bladder-bowel", bothLegs = "both-legs",
             progressiveWeakness = "progressive-weakness", fever, weightLoss = "weight-loss", nightPain = "night-pain",
             fall,
             /// Unable to put weight on a leg after a fall (a possible broken hip): an emergency at
             /// any age (NICE NG41; fifth physiotherapist read, WRONG 7).
             cannotBearWeight = "cannot-bear-weight",
             /// A fall that caused no injury: a falls-risk check within days; nothing stops
             /// (`fall` is a fall that hurt, fourth physiotherapist read, WRONG 3).
             fallNoInjury = "fall-no-injury",
             /// Sudden severe back pain after a minor strain: same day with fragile bones.
             suddenBackPain = "sudden-back-pain",
             legPain = "leg-pain", pinsAndNeedles = "pins-and-needles", numbness,
             /// Kept from the first log format: a leg or foot getting weaker.
             weakness

        /// Other words a person may type for one (`relief log ... symptom bladder`).
        static let aliases: [String: Symptom] = ["bladder": .bladderBowel, "bowel": .bladderBowel, "sexual": .bladderBowel,
                                                 "saddle": .saddleNumbness, "injury": .fall, "night": .nightPain,
                                                 "weight-bearing": .cannotBearWeight]

        /// A symptom from its id or an alias.
        public init?(named text: String) {
            guard let s = Symptom(rawValue: text) ?? Self.aliases[text] else { return nil }
            self = s
        }

        /// The symptom as a person reads it on a handout.
        public var plainWords: String {
            switch self {
            case .saddleNumbness: "numbness or tingling in the saddle area (between the legs)"
            case .bladderBowel: "new trouble passing or holding urine or stools"
            case .bothLegs: "new pain, numbness or weakness in both legs (not the leg symptoms you already have)"
            case .progressiveWeakness, .weakness: "a leg or foot getting weaker"
            case .fever: "a fever or feeling unwell"
            case .weightLoss: "weight loss you cannot explain"
            case .nightPain: "pain at night that does not ease whatever position you take"
            // The osteoporosis pathway note uses these words too, so the banner and the handout's
            // list of symptoms say the same (fourth physiotherapist read).
            case .fall: "a fall, even a minor one, that brings new back or hip pain"
            case .cannotBearWeight: "being unable to put weight on a leg after a fall (a possible broken hip)"
            case .fallNoInjury: "a fall that did not hurt you (within days, for a check of your risk of falling)"
            case .suddenBackPain: "sudden severe back pain after a minor strain (a lift, a cough, a bend)"
            case .legPain: "leg pain that spreads further down the leg than before"
            case .pinsAndNeedles: "pins and needles that are new and last after the session"
            case .numbness: "numbness that is new or spreading"
            }
        }

        /// What to do for this symptom when the red-flag table puts it in the routine tier, where
        /// it needs more than the tier's "the exercises can go on": night pain that no position
        /// eases is a GP within a week, sooner over 50 or after cancer (fifth physiotherapist
        /// read, WRONG 3). Nil: the tier's own action.
        public var ownAction: String? {
            switch self {
            case .nightPain: RedFlagScreen.nightPainAction
            default: nil
            }
        }

        /// The names ``init(named:)`` accepts, for messages.
        public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

        /// The red-flag table's fact for it.
        var fact: String {
            switch self {
            case .weakness: "progressive-weakness"
            default: rawValue
            }
        }

        public var words: String {
            switch self {
            case .saddleNumbness: "numbness or tingling in the saddle area"
            case .bladderBowel: "new bladder, bowel or sexual problems"
            case .bothLegs: "symptoms in both legs"
            case .progressiveWeakness, .weakness: "a leg or foot getting weaker"
            case .fever: "a fever or feeling unwell"
            case .weightLoss: "weight loss without trying"
            case .nightPain: "new pain at night or constant pain"
            case .fall: "a fall or injury"
            case .cannotBearWeight: "unable to put weight on a leg after a fall"
            case .fallNoInjury: "a fall without injury"
            case .suddenBackPain: "sudden severe back pain after a minor strain"
            case .legPain: "pain spreading down the leg"
            case .pinsAndNeedles: "new pins and needles"
            case .numbness: "new or spreading numbness"
            }
        }
    }
    public enum Fact: Sendable, Hashable {
        case session(done: Done, painBefore: Double?, painAfter: Double?, effort: Double?)
        case morning(pain: Double)
        case symptom(Symptom)
        /// A clinician has seen the person after a symptom and cleared them to exercise.
        case cleared
        /// Outcome questionnaires answered on the day (README, "Outcome measures").
        case outcome(OutcomeAnswers)
        /// The STarT Back Screening Tool's nine answers.
        case startBack(StartBack)
    }

    public let date: CalendarDate
    public let fact: Fact
    /// Where it is in the log (1-based), and the column of `done` for messages.
    public var line: Int = 0
    var doneColumn: Int = 1

    public init(date: CalendarDate, fact: Fact) {
        self.date = date
        self.fact = fact
    }

    /// A short description for decisions: "line 3 (2026-12-02 session: pain 5 → 4, effort 5)".
    public var summary: String {
        let what: String
        switch fact {
        case let .session(done, before, after, effort):
            var bits: [String] = []
            switch done {
            case .all: bits.append("done")
            case .none: bits.append("skipped")
            case .some(let ids): bits.append("did \(ids.count) exercise\(ids.count == 1 ? "" : "s")")
            }
            if let before, let after { bits.append("pain \(formatAmount(before)) → \(formatAmount(after))") }
            else if let after { bits.append("pain after \(formatAmount(after))") }
            if let effort { bits.append("effort \(formatAmount(effort))") }
            what = "session " + bits.joined(separator: ", ")
        case .morning(let pain): what = "morning pain \(formatAmount(pain))"
        case .symptom(let s): what = s.words
        case .cleared: what = "cleared by a clinician to exercise"
        case .outcome(let a): what = "outcome " + ((try? a.scores())?.map(\.shown).joined(separator: ", ") ?? "")
        case .startBack(let s): what = "STarT Back " + s.shown
        }
        return "line \(line): \(date) \(what)"
    }
}

/// A person's log: JSON Lines, one fact per line (README, "The programme log").
///
///     {"date":"2026-12-02","kind":"session","done":"all","pain_before":5,"pain_after":4,"effort":5}
///     {"date":"2026-12-03","kind":"morning","pain":4}
///     {"date":"2026-12-04","kind":"symptom","symptom":"leg-pain"}
///     {"date":"2026-12-06","kind":"cleared"}
///
/// Strictly read: a bad entry (unknown key or exercise, a date outside the programme or after
/// today, pain or effort outside 0-10, a second session or morning for one date) is refused
/// with file:line:column and every problem is listed.
public struct ProgrammeLog: Sendable {
    public let file: String
    public let entries: [LogEntry]
    /// A `done: all` on a day with no session (a rest day, or a paused one) is left out instead
    /// of refused: for logs a person cannot correct line by line (a clinic's log, where "I did
    /// today's session" can be ticked on any day). A file read by ``parse`` refuses it.
    public var ignoresDoneOnNoSessionDays = false

    public init(file: String, entries: [LogEntry], ignoresDoneOnNoSessionDays: Bool = false) {
        self.file = file
        self.entries = entries
        self.ignoresDoneOnNoSessionDays = ignoresDoneOnNoSessionDays
    }

    static let keys = ["date", "kind", "done", "pain_before", "pain_after", "effort", "pain", "symptom",
                       "nprs", "rmdq", "odi", "psfs", "pgic", "answers"]
    static let painRange = NumberRange(0, 10)

    /// Reads a log's text. `today`: no entry may be after it.
    public static func parse(_ text: String, file: String, settings: ProgrammeSettings, catalogue: Catalogue,
                             today: CalendarDate) throws -> ProgrammeLog {
        var issues = IssueCollector()
        var entries: [LogEntry] = []
        var sessionLine: [CalendarDate: Int] = [:], morningLine: [CalendarDate: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (k, raw) in lines.enumerated() {
            let lineNumber = k + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let node: JSONNode
            do { node = try JSONNode.parse(bytes: Array(line.utf8)) } catch let e as JSONSyntaxError {
                issues.add(file, lineNumber, e.column, "not valid JSON: \(e.message)")
                continue
            } catch {
                issues.add(file, lineNumber, nil, "not valid JSON")
                continue
            }
            guard case .object(let members) = node.value else {
                issues.add(file, lineNumber, node.column, "each line is one JSON object such as {\"date\":\"2026-12-03\",\"kind\":\"morning\",\"pain\":4}, got \(node.shown)")
                continue
            }
            var values: [String: JSONNode] = [:]
            var bad = false
            for m in members {
                if !keys.contains(m.key) {
                    issues.add(file, lineNumber, m.value.column, "unknown key \"\(m.key)\"; expected one of \(keys.joined(separator: ", "))")
                    bad = true
                }
                values[m.key] = m.value
            }
            func fail(_ key: String, _ message: String) {
                issues.add(file, lineNumber, values[key]?.column ?? node.column, message)
                bad = true
            }
            func pain(_ key: String, required: Bool) -> Double? {
                guard let n = values[key] else {
                    if required { fail(key, "\(key) is missing: a number from 0 to 10") }
                    return nil
                }
                guard case .number(let x, _) = n.value, painRange.contains(x) else {
                    fail(key, "\(key) must be a number from 0 to 10, got \(n.shown)")
                    return nil
                }
                return x
            }
            var date: CalendarDate?
            if let n = values["date"] {
                if case .string(let s) = n.value, let d = CalendarDate(s) {
                    if d < settings.start || d > settings.end {
                        fail("date", "date \(d) is outside the programme (\(settings.start) to \(settings.end))")
                    } else if d > today {
                        fail("date", "date \(d) is in the future (today is \(today)); log what has happened")
                    } else { date = d }
                } else { fail("date", "date must be \(CalendarDate.expected), got \(n.shown)") }
            } else { fail("date", "date is missing (YYYY-MM-DD)") }
            var fact: LogEntry.Fact?
            let kind: String? = { if case .string(let s) = values["kind"]?.value { return s }; return nil }()
            func only(_ allowed: Set<String>) {
                for m in members where !allowed.contains(m.key) && keys.contains(m.key) {
                    fail(m.key, "\(m.key) does not belong in \((kind?.first).map { "aeiou".contains($0) } == true ? "an" : "a") \(kind ?? "") entry; it takes \(allowed.sorted().joined(separator: ", "))")
                }
            }
            switch kind {
            case "session":
                only(["date", "kind", "done", "pain_before", "pain_after", "effort"])
                var done: LogEntry.Done?
                switch values["done"]?.value {
                case .string("all"): done = .all
                case .string("none"): done = LogEntry.Done.none
                case .array(let items):
                    var ids: [String] = []
                    for item in items {
                        guard case .string(let id) = item.value, catalogue.exerciseIndex(id) != nil else {
                            issues.add(file, lineNumber, item.column, "unknown exercise \(item.shown); `relief catalogue` lists the ids")
                            bad = true
                            continue
                        }
                        if !ids.contains(id) { ids.append(id) }
                    }
                    done = .some(ids)
                case nil: fail("done", "done is missing: \"all\", \"none\" or a list of exercise ids")
                default: fail("done", "done must be \"all\", \"none\" or a list of exercise ids, got \(values["done"]!.shown)")
                }
                let before = pain("pain_before", required: false)
                let after = pain("pain_after", required: false)
                let effort = pain("effort", required: false)
                if let done { fact = .session(done: done, painBefore: before, painAfter: after, effort: effort) }
                if let date, let first = sessionLine[date] {
                    fail("date", "a session on \(date) is already logged on line \(first)")
                }
                if let date, sessionLine[date] == nil { sessionLine[date] = lineNumber }
            case "morning":
                only(["date", "kind", "pain"])
                if let p = pain("pain", required: true) { fact = .morning(pain: p) }
                if let date, let first = morningLine[date] {
                    fail("date", "a morning pain for \(date) is already logged on line \(first)")
                }
                if let date, morningLine[date] == nil { morningLine[date] = lineNumber }
            case "symptom":
                only(["date", "kind", "symptom"])
                if case .string(let s) = values["symptom"]?.value, let symptom = LogEntry.Symptom(named: s) {
                    fact = .symptom(symptom)
                } else {
                    fail("symptom", "symptom must be one of \(LogEntry.Symptom.names), got \(values["symptom"]?.shown ?? "nothing")")
                }
            case "cleared":
                only(["date", "kind"])
                fact = .cleared
            case "outcome":
                only(["date", "kind", "nprs", "rmdq", "odi", "psfs", "pgic"])
                let (answers, problems) = OutcomeLine.read(values)
                for p in problems { issues.add(file, lineNumber, p.column ?? node.column, p.message); bad = true }
                if let answers {
                    if answers.isEmpty { fail("kind", "an outcome entry needs at least one of nprs, rmdq, odi, psfs, pgic") }
                    else { fact = .outcome(answers) }
                }
            case "startback":
                only(["date", "kind", "answers"])
                switch OutcomeLine.startBack(values["answers"]) {
                case .success(let s): fact = .startBack(s)
                case .failure(let p): fail("answers", p.message)
                }
            default:
                fail("kind", "kind must be session, morning, symptom, cleared, outcome or startback, got \(values["kind"]?.shown ?? "nothing")")
            }
            if !bad, let date, let fact {
                var entry = LogEntry(date: date, fact: fact)
                entry.line = lineNumber
                entry.doneColumn = values["done"]?.column ?? 1
                entries.append(entry)
            }
        }
        try issues.throwIfAny()
        return ProgrammeLog(file: file, entries: entries)
    }

    /// A log file's text: "" when there is no file yet; an unreadable or non-UTF-8 file is an
    /// error (never taken for an empty log, which an append would then overwrite).
    public static func text(path: String) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 || errno != ENOENT else { return "" }
        let data = try readInputFile(path)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DataErrors([DataIssue(file: path, "is not UTF-8 text")])
        }
        return text
    }

    /// Reads a log file; a missing file is an empty log.
    public static func load(path: String, settings: ProgrammeSettings, catalogue: Catalogue, today: CalendarDate) throws -> ProgrammeLog {
        try parse(text(path: path), file: path, settings: settings, catalogue: catalogue, today: today)
    }
}
