import Foundation
import Relief

extension PlanRequest {
    /// The request as a line of `relief batch`: ``JSONRequest``, with `explain` when it is
    /// asked for (a batch line's default is not to), which the batch reads back to the same
    /// request. Empty for a request with a number that is not finite, which no reader makes.
    public var batchLine: String { (try? JSONWriter.compact.text(JSONRequest(self, explain: explain))) ?? "" }
}

/// A request as the programme file and a batch line write it: the keys of a batch line
/// (``RequestKey``), in this order; ``PlanRequest/read(_:explainByDefault:catalogue:)`` reads
/// it back to the same request.
struct JSONRequest: JSONKeysInOrder {
    let minutes: Double?
    let minimums: [String: Double]?
    let maxShare: Double
    let maxExercises: Int?
    let conditions: [String], exclude: [String], include: [String], equipment: [String]
    let strengthShare: Double
    let screen: [String: Bool]?
    let timeLimit: Double?
    /// Only in a batch line, and only when asked for.
    let explain: Bool?

    init(_ r: PlanRequest, explain: Bool = false) {
        minutes = r.budgetSeconds.map { $0 / 60 }
        minimums = r.minimums.isEmpty ? nil : r.minimums
        maxShare = r.maxShare
        maxExercises = r.maxExercises
        conditions = r.conditions.sorted()
        exclude = r.excluded.sorted()
        include = r.included.sorted()
        equipment = r.equipment?.sorted() ?? ["any"]
        strengthShare = r.strengthShare
        screen = r.screen
        timeLimit = r.timeLimit
        self.explain = explain ? true : nil
    }
}

/// Programme settings as the programme file writes them (keys of ``ProgrammeSettings/keys``),
/// in this order.
struct JSONSettings: JSONKeysInOrder {
    let start: String
    let weeks: Int, reliefWeeks: Int, days: Int, maintenanceDays: Int
    let maintenanceMinutes: Double, maintenanceStrengthShare: Double, walkMinutes: Double
    let reliefWalkMinutes: Double?
    let maxDaysPerExercise: Int, maxNewExercises: Int, firstWeekExercises: Int
    let startShare: Double, doseStep: Double
    let flareWeeks: Int?
    let maxGrowth: Double
    let usualPain: Double?
    let sessionTime: String

    init(_ s: ProgrammeSettings) {
        start = "\(s.start)"
        weeks = s.weeks; reliefWeeks = s.reliefWeeks; days = s.days; maintenanceDays = s.maintenanceDays
        maintenanceMinutes = s.maintenanceMinutes; maintenanceStrengthShare = s.maintenanceStrengthShare; walkMinutes = s.walkMinutes
        reliefWalkMinutes = s.reliefWalkMinutes
        maxDaysPerExercise = s.maxDaysPerExercise; maxNewExercises = s.maxNewExercises; firstWeekExercises = s.firstWeekExercises
        startShare = s.startShare; doseStep = s.doseStep
        flareWeeks = s.flareWeeks
        maxGrowth = s.maxGrowth
        usualPain = s.usualPain
        sessionTime = s.sessionTime
    }
}

/// The programme file: schema `relief-programme` version 1 (README, "Programme JSON"), its
/// sections in this order; numbers rounded to 3 decimals so the text is the same on every machine.
struct JSONProgramme: JSONKeysInOrder {
    struct Day: JSONKeysInOrder {
        let date: String, weekday: String, paused: Bool, sessionSeconds: Double
        let session: [JSONPlan.Item]
        let walkMinutes: Double
        let walk: Nullable<String>
    }
    struct Week: JSONKeysInOrder {
        let number: Int, phase: String, status: String, totalSeconds: Double, walkingMinutes: Double, strengthSeconds: Double, sessions: Int
        let sessionMinimums: [String: Double], coverage: [String: Double]
        let binding: [String], ladders: [String: String], notes: [String]
        let days: [Day]
    }
    struct Change: JSONKeysInOrder {
        let week: Int, date: String, kind: String, text: String, evidence: [String]
    }
    struct Dose: JSONKeysInOrder {
        let sessionHours: Double, walkingHours: Double, totalHours: Double, referenceHours: Double, flareWeeks: Int
        let text: String
    }
    struct Review: JSONKeysInOrder {
        let week: Int, date: String, text: String, evidence: [String]
    }
    struct Pause: JSONKeysInOrder {
        let from: String, cleared: Nullable<String>, resumes: Nullable<String>
        let urgency: String, advice: String, source: String, rule: String
        let symptoms: [String], evidence: [String]

        init(_ p: SessionPause) {
            from = "\(p.from)"; cleared = Nullable(p.cleared.map { "\($0)" }); resumes = Nullable(p.resumes.map { "\($0)" })
            urgency = p.finding.urgency.rawValue; advice = p.finding.advice; source = p.finding.source; rule = p.finding.rule
            symptoms = p.symptoms; evidence = p.evidence
        }
    }

    let schema = "relief-programme"
    let schemaVersion = Programme.schemaVersion
    let status: String
    let alerts: [String]
    let urgency: Nullable<Pause>
    let review: Nullable<Review>
    let pauses: [Pause]
    let settings: JSONSettings
    let request: JSONRequest
    let weeks: [Week]
    let dose: Dose
    let outcomes: Nullable<JSONOutcomes>
    let decisions: [Change]
    let excluded: [Exclusion]
    let notes: [String]
    let screen: ScreenResult
    let stopRules: [String]
    let disclaimer = medicalDisclaimer

    init(_ p: Programme) {
        status = p.screen.status == .redFlag ? "red_flag" : p.stopped ? "stopped" : p.infeasible ? "infeasible" : p.proven ? "optimal" : "feasible"
        alerts = p.alerts
        urgency = Nullable(p.urgency.map(Pause.init))
        review = Nullable(p.review.map { Review(week: $0.week, date: "\(p.date(of: $0))", text: $0.text, evidence: $0.evidence) })
        pauses = p.pauses.map(Pause.init)
        settings = JSONSettings(p.settings)
        request = JSONRequest(p.request)
        weeks = p.weeks.map { week in
            Week(number: week.number, phase: week.phase.rawValue, status: week.status.rawValue,
                 totalSeconds: round3(week.totalSeconds), walkingMinutes: round3(week.walkingMinutes),
                 strengthSeconds: round3(week.strengthSeconds), sessions: week.sessionCount,
                 sessionMinimums: week.sessionMinimums.mapValues(round3), coverage: week.coverage.mapValues(round3),
                 binding: week.binding, ladders: week.ladders, notes: week.notes,
                 days: week.days.map { day in
                     Day(date: "\(day.date)", weekday: day.date.weekdayName, paused: day.paused, sessionSeconds: round3(day.sessionSeconds),
                         session: day.session.map(JSONPlan.Item.init), walkMinutes: round3(day.walkMinutes), walk: Nullable(day.walkID))
                 })
        }
        dose = Dose(sessionHours: round3(p.sessionHours), walkingHours: round3(p.walkingHours), totalHours: round3(p.totalHours),
                    referenceHours: Programme.haydenHours, flareWeeks: p.flareWeeks, text: p.doseSummary)
        outcomes = Nullable(p.outcomes.map(JSONOutcomes.init))
        decisions = p.decisions.map { Change(week: $0.week, date: "\(p.date(of: $0))", kind: $0.kind.rawValue, text: $0.text, evidence: $0.evidence) }
        excluded = p.excluded
        notes = p.notes
        screen = p.screen
        stopRules = Relief.stopRules
    }
}

/// The programme's outcomes in its JSON (README, "Programme JSON"): snake_case keys in this order.
struct JSONOutcomes: JSONKeysInOrder {
    struct Screening: JSONKeysInOrder {
        let date: String, line: Int, answers: [Int], total: Int, psychosocial: Int, group: String, care: String
    }
    struct Visit: JSONKeysInOrder { let week: Int, purpose: String, items: [String] }
    struct Score: JSONKeysInOrder { let measure: String, score: Double, detail: String }
    struct Change: JSONKeysInOrder {
        let measure: String, baseline: Nullable<Double>, followUp: Double, improvement: Nullable<Double>, threshold: Nullable<Double>
        let verdict: String, text: String
    }
    struct Record: JSONKeysInOrder { let date: String, week: Int, line: Int, scores: [Score], changes: [Change] }
    struct Message: JSONKeysInOrder { let week: Int, key: String, title: String, text: String, sources: [String] }
    struct MIC: JSONKeysInOrder { let measure: String, points: Double, share: Nullable<Double>, source: String }

    let startback: Nullable<Screening>
    let schedule: [Visit]
    let records: [Record]
    let latest: [Change]
    let messages: [Message]
    let minimalImportantChange: [MIC]

    init(_ o: ProgrammeOutcomes) {
        startback = Nullable(o.startBack.map { s in
            Screening(date: "\(s.date)", line: s.line, answers: s.result.answers, total: s.result.total, psychosocial: s.result.psychosocial,
                      group: s.result.group.rawValue, care: s.result.group.care)
        })
        schedule = o.schedule.visits.map { Visit(week: $0.week, purpose: $0.purpose.rawValue, items: $0.items.map(\.rawValue)) }
        func change(_ c: MeasureChange) -> Change {
            Change(measure: c.measure.rawValue, baseline: Nullable(c.baseline.map(round3)), followUp: round3(c.followUp),
                   improvement: Nullable(c.improvement.map(round3)), threshold: Nullable(c.threshold.map(round3)),
                   verdict: c.verdict.rawValue, text: c.shown)
        }
        records = o.records.map { r in
            Record(date: "\(r.date)", week: r.week, line: r.line,
                   scores: r.scores.map { Score(measure: $0.measure.rawValue, score: round3($0.value), detail: $0.detail) },
                   changes: r.changes.map(change))
        }
        latest = o.latest.map(change)
        messages = (1...max(o.schedule.weeks, 1)).map { w in
            let m = o.message(week: w)
            return Message(week: w, key: m.key, title: m.title, text: m.text, sources: m.sources)
        }
        minimalImportantChange = OutcomeMeasure.allCases.compactMap { m in
            MinimalImportantChange.of(m).map { MIC(measure: m.rawValue, points: $0.points, share: Nullable($0.share), source: $0.source) }
        }
    }
}

extension Programme {
    public static let schemaVersion = 1
    /// The outcome chart's file name in a handouts folder, linked from each week's handout.
    public static let progressChartFile = "progress.svg"

    /// The outcome chart a handouts folder holds beside the weeks (a standalone SVG file), or
    /// nil before any questionnaire has a baseline.
    public func progressChart() -> String? {
        guard let o = outcomes, let svg = OutcomeCharts.patient(o) else { return nil }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg
    }

    public func rendered(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: text(markdown: false)
        case .markdown: text(markdown: true)
        case .json: try jsonText()
        case .fhir: try FHIRExport(identifiers: [], programme: self, log: nil).jsonText()
        }
    }

    var phaseSummary: String {
        let s = settings
        let minutes = clock(request.budgetSeconds ?? 900)
        return "relief phase: \(s.days) sessions a week of up to \(minutes); maintenance: \(s.maintenanceDays) a week of up to \(clock(s.maintenanceMinutes * 60)), never on consecutive days"
    }

    /// What the log made urgent: a symptom that stops the sessions (its advice and tier), the
    /// non-response review, a routine symptom's advice. `relief log` prints these first.
    public var logAlerts: [String] {
        var out: [String] = []
        if let u = urgency {
            out.append("STOP THE EXERCISES from \(u.from) (\(u.finding.urgency.words)): the log reports \(u.symptoms.joined(separator: " and ")). \(u.finding.advice) Nothing more is planned until you log that a clinician has cleared you (relief log --programme FILE cleared). Source: \(u.finding.source).")
        }
        if let r = review { out.append("Review: from week \(r.week), \(r.text).") }
        // The same advice once, with every date it was logged on.
        var dates: [String: [String]] = [:], order: [String] = []
        for d in decisions where d.kind == .advice {
            if dates[d.text] == nil { order.append(d.text) }
            let day = "\(date(of: d))"
            if !(dates[d.text] ?? []).contains(day) { dates[d.text, default: []].append(day) }
        }
        for text in order {
            let days = dates[text] ?? []
            out.append("Symptom logged on \(days.count > 1 ? days.dropLast().joined(separator: ", ") + " and " + days.last! : days.joined()): \(text)")
        }
        return out
    }

    /// What comes before anything else in every format: ``logAlerts``, then the red-flag
    /// screen's advice or that it was not done, and the condition pathways.
    public var alerts: [String] {
        var out = logAlerts
        if screen.status != .redFlag, let note = screen.note { out.append("Red-flag screen: " + note) }
        if screen.status != .redFlag { out += ConditionPathway.notes(for: request.conditions) }
        return out
    }

    // MARK: Terminal and Markdown

    func text(markdown: Bool) -> String {
        var out: [String] = alertLines(alerts, markdown: markdown)
        let bullet = markdown ? "- " : "  - "
        func heading(_ text: String, _ level: Int = 2) { out.append(markdown ? String(repeating: "#", count: level) + " " + text : text) }
        if screen.status == .redFlag {
            heading("Please do not start a programme yet: your answers need a doctor first", 1)
            out.append("")
            if let advice = screen.advice { out.append(advice) }
            out.append("")
            out.append(markdown ? "_\(medicalDisclaimer)_" : medicalDisclaimer)
            return out.joined(separator: "\n") + "\n"
        }
        // The person reads this page: the solver's words go to the physiotherapist's section at
        // its end (fourth physiotherapist read, WRONG 10).
        heading("Your programme: \(settings.weeks) week\(settings.weeks == 1 ? "" : "s") from \(settings.start.weekdayName) \(settings.start)", 1)
        out.append("")
        out.append("Phases: " + phaseSummary + ".")
        for week in weeks {
            out.append("")
            out += weekCalendar(week, markdown: markdown)
        }
        out.append("")
        out.append((markdown ? "**Dose**: " : "Dose: ") + doseSummary + ".")
        if let o = outcomes {
            out.append("")
            heading("Outcome measures (for the clinician)")
            out += outcomeLines(o, markdown: markdown)
        }
        if !decisions.isEmpty {
            out.append("")
            heading("What your log decided")
            for d in decisions {
                out.append(bullet + "from week \(d.week): \(d.text)")
                for e in d.evidence { out.append((markdown ? "  - " : "      ") + e) }
            }
        }
        if !excluded.isEmpty {
            out.append("")
            heading("Left out for you")
            for e in excluded { out.append(bullet + "\(e.name) (\(e.id)): \(e.reasons.joined(separator: "; "))") }
        }
        if !notes.isEmpty {
            out.append("")
            for n in notes { out.append(bullet + "Note: \(n)") }
        }
        out.append("")
        heading("When to stop")
        for rule in stopRules { out.append(bullet + rule) }
        out.append(bullet + "Log each session and the next morning's pain (relief log); the programme steps exercises up, holds or steps them down from it.")
        out.append("")
        heading("New symptoms")
        for line in symptomTiers() { out.append(bullet + line) }
        out.append("")
        heading(Plan.detailsHeading)
        out += physiotherapistLines().map { bullet + $0 }
        out += closingLines(screen, markdown: markdown)
        return out.joined(separator: "\n") + "\n"
    }

    /// The clinician's view of the outcomes: STarT Back with NG59's advice, the schedule, every
    /// record with its verdicts against the baseline, each measure's MIC.
    func outcomeLines(_ o: ProgrammeOutcomes, markdown: Bool) -> [String] {
        let bullet = markdown ? "- " : "  - "
        var out = o.summaryLines.map { bullet + $0 }
        out.append(bullet + "Schedule: " + Set(o.schedule.visits.map(\.week)).sorted().compactMap { w in o.schedule.dueText(week: w).map { "week \(w) \($0)" } }.joined(separator: "; ") + ".")
        for r in o.records {
            let shown = r.scores.map { s in r.changes.first { $0.measure == s.measure }?.shown ?? s.shown + " (baseline: " + s.detail + ")" }
            out.append(bullet + "\(r.date) (week \(r.week), log line \(r.line)): " + shown.joined(separator: "; ") + ".")
        }
        let mics = OutcomeMeasure.allCases.compactMap { m in MinimalImportantChange.of(m).map { "\(m.name) \($0.words)" } }
        out.append(bullet + "Meaningful change (both rules must be met; worse the same size the other way): " + mics.joined(separator: "; ") + " (Ostelo et al. 2008; PSFS Stratford et al. 1995); PGIC: much or very much improved (Farrar et al. 2001).")
        return out
    }

    /// What the solver proved of the weeks, the rules at their limit and the solver's notes:
    /// for a clinician, at the end of the programme's page (``setupSheet()`` has them too).
    func physiotherapistLines() -> [String] {
        var out = [proven ? "Each week is the best GLPK proved for its rules." : "Not every week is proven the best for its rules (the notes below say which)."]
        for week in weeks {
            var bits: [String] = []
            switch week.status {
            case .optimal: bits.append("proven best")
            case .feasible: bits.append("not proven best")
            case .infeasible, .stopped: break
            }
            if !week.binding.isEmpty { bits.append("at their limit: " + week.binding.joined(separator: "; ")) }
            bits += week.notes.filter(Self.isSetupNote)
            if !bits.isEmpty { out.append("Week \(week.number): " + bits.joined(separator: "; ") + ".") }
        }
        return out
    }

    /// The week's heading, in the person's words: whether the solver proved it best is in
    /// ``physiotherapistLines()``.
    func weekTitle(_ week: ProgrammeWeek) -> String {
        let status: String?
        switch week.status {
        case .optimal, .feasible: status = nil
        case .infeasible: status = "no week keeps every rule"
        case .stopped: status = "not planned"
        }
        var title = "Week \(week.number) (\(week.phase.rawValue) phase\(status.map { ", " + $0 } ?? ""))"
        if week.status == .optimal || week.status == .feasible {
            let sessions = week.days.reduce(0) { $0 + $1.sessionSeconds }
            title += ": \(week.sessionCount) sessions, \(clock(sessions))"
            if week.walkingMinutes > 0 { title += "; walking \(formatAmount(week.walkingMinutes)) min a week" }
        }
        return title
    }

    /// The week's notes about the solver and its rules (limits at their bound, targets not yet
    /// reached, a week not proven best): for whoever sets the programme up, not the person's page.
    static func isSetupNote(_ note: String) -> Bool {
        ["of each of its targets", "dose ramp", "not proven the best", "GLPK", "node limit", "work bound"].contains { note.contains($0) }
    }

    /// `person`: the person's weekly page, without the rules at their limit and the setup notes
    /// (``setupSheet()`` has them).
    func weekCalendar(_ week: ProgrammeWeek, markdown: Bool, person: Bool = false) -> [String] {
        var out = [markdown ? "## " + weekTitle(week) : weekTitle(week)]
        if week.status == .optimal || week.status == .feasible {
            let rows = week.days.map { day -> [String] in
                ["\(day.date.weekdayName) \(day.date)", day.paused ? "paused: see a clinician" : day.sessionName.map { "session \($0)" } ?? "rest",
                 day.isSessionDay ? mmss(day.sessionSeconds) : "", day.walkMinutes > 0 ? "walk \(formatAmount(day.walkMinutes)) min" : ""]
            }
            if markdown { out.append("") }
            out += grid(header: ["Day", "Session", "Time", "Walk"], rows: rows, rightAligned: [2], markdown: markdown)
            if markdown { out.append("") }
            for name in ProgrammeWeek.sessionNames {
                let days = week.days.filter { $0.sessionName == name }
                guard let first = days.first else { continue }
                let list = first.session.map { "\($0.name) \(amountText($0))" }.joined(separator: ", ")
                let when = days.map(\.date.weekdayName).joined(separator: ", ")
                out.append((markdown ? "- **Session \(name)** (\(when), \(clock(first.sessionSeconds))): " : "  Session \(name) (\(when), \(clock(first.sessionSeconds))): ") + list)
            }
        }
        let indent = markdown ? "- " : "  "
        if let o = outcomes, !person {
            if let due = o.schedule.dueText(week: week.number) { out.append(indent + "Questionnaires due: " + due + ".") }
            for r in o.records(week: week.number) {
                let shown = r.scores.map { s in r.changes.first { $0.measure == s.measure }?.shown ?? s.shown + " (baseline)" }
                out.append(indent + "Scores \(r.date): " + shown.joined(separator: "; ") + ".")
            }
            let m = o.message(week: week.number)
            out.append(indent + "Message: \(m.title). \(m.text) (\(m.sources.joined(separator: ", ")))")
        }
        for n in week.notes where !Self.isSetupNote(n) { out.append(indent + "Note: " + n) }
        return out
    }

    /// A printable handout for one week: its calendar, then how to do every exercise in it,
    /// with dose, sides, rest, stop cues and the person's cautions, and when to stop.
    public func handout(week number: Int) -> String {
        guard weeks.contains(where: { $0.number == number }) else { return "" }
        return handoutLines(week: number).map(Self.forPerson).joined(separator: "\n") + "\n"
    }

    /// A line of a person's page without the commands it names: "(relief log ... cleared)",
    /// "(relief screen)" and the like go (they are in ``setupSheet()``).
    public static func forPerson(_ line: String) -> String {
        var out = line
        while let open = out.range(of: " (relief "), let close = out[open.upperBound...].firstIndex(of: ")") {
            out.removeSubrange(open.lowerBound...close)
        }
        while let open = out.range(of: "(relief "), let close = out[open.upperBound...].firstIndex(of: ")") {
            out.removeSubrange(open.lowerBound...close)
        }
        return out
    }

    /// For whoever sets the programme up (a clinician or carer), not the person's pages: the
    /// commands that record the person's notes and re-plan from them.
    public func setupSheet() -> String {
        var out = ["# Relief programme: for whoever sets it up", ""]
        out.append("The weekly pages (week-NN.md) are for the person and carry no commands. Record what they note with `relief log`, beside the programme file kept with `--out` (here `programme.json`):")
        out.append("")
        out.append("- after each session: `relief log --programme programme.json session --done all --pain-before N --pain-after N --effort N` (`--done none`, or the exercise ids done);")
        out.append("- each morning: `relief log --programme programme.json morning --pain N` (pain and effort 0-10; the date is today unless `--date YYYY-MM-DD`);")
        out.append("- a symptom, which stops the sessions when it needs a clinician: `relief log --programme programme.json symptom leg-pain` (one of \(LogEntry.Symptom.names));")
        out.append("- once a clinician has seen the person and says they can exercise again: `relief log --programme programme.json cleared`;")
        out.append("- the questionnaires when due (README, \"Outcome measures\"): `relief log --programme programme.json startback --answers 1,0,1,0,0,1,1,0,3` in week 1, and `relief log --programme programme.json outcome --nprs 6 --rmdq 1,0,... --psfs bending:4 --pgic much-improved` (`relief log outcome --help` lists every item);")
        out.append("- then the weeks ahead, from the log: `relief programme --replan programme.json --handouts DIR`.")
        out.append("")
        out.append("Dose: " + doseSummary + ".")
        out.append("")
        // What the weekly pages leave out for the person: each week's rules at their limit and
        // the solver's notes.
        var details: [String] = []
        for week in weeks {
            var lines: [String] = []
            if !week.binding.isEmpty { lines.append("- at their limit: " + week.binding.joined(separator: "; ") + ".") }
            for n in week.notes where Self.isSetupNote(n) { lines.append("- " + n) }
            if !lines.isEmpty { details += ["### Week \(week.number)", ""] + lines + [""] }
        }
        if !details.isEmpty {
            out += ["## The weeks in detail (the rules at their limit, the solver's notes)", ""] + details
        }
        out.append("_\(medicalDisclaimer)_")
        return out.joined(separator: "\n") + "\n"
    }

    /// The "New symptoms" block: the red-flag table's tiers for this person, the same lines as
    /// a plan's (``RedFlagScreen/symptomTiers(answers:conditions:)``).
    func symptomTiers() -> [String] {
        RedFlagScreen.symptomTiers(answers: request.screen, conditions: request.conditions).map(\.line)
    }

    /// What a person with a symptom of `tier` does, in the handouts' words (the patient's page
    /// shows the same words after a symptom is logged).
    public static func symptomAdvice(_ tier: RedFlagScreen.Urgency) -> String { tier.action }

    func handoutLines(week number: Int) -> [String] {
        guard let week = weeks.first(where: { $0.number == number }) else { return [] }
        var out: [String] = alertLines(alerts, markdown: true)
        out.append("# Relief programme: week \(week.number) of \(settings.weeks)")
        out.append("")
        out.append("From \(week.days.first!.date.weekdayName) \(week.days.first!.date) to \(week.days.last!.date.weekdayName) \(week.days.last!.date). The programme: " + phaseSummary + ".")
        out.append("")
        if week.number <= flareWeeks {
            let span = flareWeeks == 1 ? "week 1" : "weeks 1-\(flareWeeks)"
            out.append(FlareAdvice.week(span))
            out.append("")
        }
        out += weekCalendar(week, markdown: true, person: true)
        if let o = outcomes {
            let m = o.message(week: week.number)
            out.append("")
            out.append("## This week: \(m.title.lowercased())")
            out.append("")
            out.append(m.text)
            let due = o.schedule.due(week: week.number).filter { $0 != .clinicianReview }
            if !due.isEmpty || o.schedule.due(week: week.number).contains(.clinicianReview) {
                out.append("")
                out.append("## Questionnaires this week")
                out.append("")
                if !due.isEmpty {
                    out.append("Whoever set up your programme will ask you a few short questionnaires this week (\(due.map(\.plainWords).joined(separator: "; "))): they show how your back is doing over the weeks, in pain and in what you can do.")
                }
                if o.schedule.due(week: week.number).contains(.clinicianReview) {
                    out.append("This week, a clinician will talk with you about how things are going: the questionnaire at the start showed that worry and the pain's impact matter for you, and support for that helps recovery.")
                }
            }
            let upTo = o.records.filter { $0.week <= week.number }
            let changes = upTo.last.map { _ in o.latestChanges(through: week.number) } ?? []
            if !changes.isEmpty {
                out.append("")
                out.append("## Your questionnaires so far")
                out.append("")
                for c in changes { out.append("- " + c.shown) }
            }
            if !o.baselines.isEmpty {
                // The picture beside the handouts (`relief programme --handouts` writes it).
                out.append("")
                out.append("![Your questionnaire scores over the weeks, with the change that counts](\(Self.progressChartFile))")
            }
        }
        // Each session's exercises, in order, with how to do them.
        for name in ProgrammeWeek.sessionNames {
            let days = week.days.filter { $0.sessionName == name }
            guard let first = days.first, !first.session.isEmpty else { continue }
            out.append("")
            out.append("## Session \(name): how to do each exercise (\(days.map(\.date.weekdayName).joined(separator: ", ")), \(clock(first.sessionSeconds)))")
            out.append("")
            out += howTo(first.session, markdown: true)
        }
        if week.walkingMinutes > 0 {
            out.append("")
            out.append("## Walking")
            out.append("")
            if week.number <= flareWeeks {
                out.append("In the flare, walk short and easy, as far as the pain allows, on the days the calendar shows: moving helps a flare settle more than rest does. From week \(flareWeeks + 1), walk briskly enough to breathe harder but still talk.")
            } else {
                out.append("Walk briskly enough to breathe harder but still talk, on the days the calendar shows.")
            }
            if let walk = walking {
                if !walk.stopIf.isEmpty { out.append("- Stop if: " + walk.stopIf) }
                for c in walk.cautions { out.append("- Take care (\(c.condition)): \(c.cue)") }
            }
        }
        let weekDecisions = decisions.filter { $0.week == number }
        if !weekDecisions.isEmpty {
            out.append("")
            out.append("## Changes this week, from your log")
            for d in weekDecisions { out.append("- \(d.text)") }
        }
        out.append("")
        out.append("## When to stop")
        out.append("")
        for rule in stopRules { out.append("- " + rule) }
        out.append("")
        out.append("## Your notes")
        out.append("")
        out.append("After each session, note whether you did it, your pain before and after (0-10) and how hard it felt (0-10); each morning, note your pain (0-10). Whoever set up your programme records these, and the programme steps exercises up, holds or eases them from what you note: an exercise with a harder step moves up to it after two sessions that went well (pain at most 3 above your usual during it, and back to your usual by the next morning), and steps back down after sessions that were too much.")
        out.append("")
        out.append("## New symptoms")
        out.append("")
        for line in symptomTiers() { out.append("- " + line) }
        out.append("")
        out.append("_\(medicalDisclaimer)_")
        return out
    }

    // MARK: JSON

    /// JSON, schema `relief-programme` version 1 (README, "Programme JSON").
    public func jsonText() throws -> String {
        try JSONWriter.indented.text(JSONProgramme(self)) + "\n"
    }

    // MARK: iCalendar

    /// An iCalendar (RFC 5545) file: one event per session at the settings' session time, with a
    /// reminder 10 minutes before, and the exercises in the description. Floating local times
    /// (no zone): the session is at that hour wherever the person is. Deterministic: UIDs and
    /// DTSTAMP come from the programme, not the clock.
    public func iCalendar() -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Relief//Relief programme//EN", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:Relief programme"]
        let minutesOfDay = ProgrammeSettings.minutesOfDay(settings.sessionTime) ?? 480
        // A symptom that stops the sessions, or a review, is an all-day event on its date,
        // before any session: the advice first.
        var firsts: [(CalendarDate, String, String, String)] = []
        if let u = urgency {
            firsts.append((u.from, "stop", "STOP the Relief exercises: \(u.finding.urgency.words)", alerts[0]))
        }
        if let r = review { firsts.append((date(of: r), "review", "Relief: see your GP or physiotherapist for a review", r.text + ".")) }
        for (day, kind, summary, text) in firsts {
            lines += ["BEGIN:VEVENT",
                      "UID:relief-\(settings.start.compact)-\(kind)-\(day.compact)@relief",
                      "DTSTAMP:\(settings.start.compact)T000000Z",
                      "DTSTART;VALUE=DATE:\(day.compact)",
                      "SUMMARY:" + icsEscape(summary),
                      "DESCRIPTION:" + icsEscape(text),
                      "END:VEVENT"]
        }
        func time(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h)" + (m < 10 ? "0" : "") + "\(m)00"
        }
        for week in weeks where week.status == .optimal || week.status == .feasible {
            for day in week.days where day.isSessionDay || day.walkMinutes > 0 {
                let seconds = day.sessionSeconds + day.walkMinutes * 60
                let duration = max(1, Int((seconds / 60).rounded(.up)))
                var what: [String] = day.session.map { "\($0.order). \($0.name): \(amountText($0))" }
                if day.walkMinutes > 0 { what.append("Walk: \(formatAmount(day.walkMinutes)) minutes") }
                what += stopRules
                let summary = day.isSessionDay
                    ? "Relief session (week \(week.number), \(week.phase.rawValue)): \(clock(day.sessionSeconds))"
                    : "Relief walk: \(formatAmount(day.walkMinutes)) min"
                lines += ["BEGIN:VEVENT",
                          "UID:relief-\(settings.start.compact)-w\(week.number)-\(day.date.compact)@relief",
                          "DTSTAMP:\(settings.start.compact)T000000Z",
                          "DTSTART:\(day.date.compact)T\(time(minutesOfDay))",
                          "DURATION:PT\(duration)M",
                          "SUMMARY:" + icsEscape(summary),
                          "DESCRIPTION:" + icsEscape(what.joined(separator: "\n")),
                          "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + icsEscape(summary), "TRIGGER:-PT10M", "END:VALARM",
                          "END:VEVENT"]
            }
        }
        lines.append("END:VCALENDAR")
        return lines.map(icsFold).joined(separator: "\r\n") + "\r\n"
    }
}

/// RFC 5545 text escaping: backslash, semicolon, comma and newline.
func icsEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
        .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
}

/// RFC 5545 folding: lines longer than 75 octets continue on the next line after a space,
/// never splitting a UTF-8 character.
func icsFold(_ line: String) -> String {
    var out: [String] = []
    var current = ""
    var octets = 0
    for ch in line {
        let n = String(ch).utf8.count
        if octets + n > (out.isEmpty ? 75 : 74) {
            out.append(current)
            current = ""
            octets = 0
        }
        current.append(ch)
        octets += n
    }
    out.append(current)
    return out.joined(separator: "\r\n ")
}
