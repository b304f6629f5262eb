import Foundation
import Relief

extension JSONPlan.Item {
    init(_ p: PlannedExercise) {
        self.init(order: p.order, id: p.id, name: p.name, modality: p.modality.rawValue, unit: p.unit, dose: p.dose,
                  units: round3(p.units), seconds: round3(p.seconds), setupSeconds: round3(p.setupSeconds),
                  runningSeconds: round3(p.runningSeconds), coverage: p.coverage.mapValues(round3),
                  instructions: p.instructions, sides: p.sides, restSeconds: round3(p.restSeconds), stopIf: p.stopIf,
                  cautions: p.cautions, position: p.position?.rawValue, warmUp: p.warmUp)
    }
}

extension PlanRequest {
    /// The request as a JSON object with the keys of a batch line (``RequestKey``), in a fixed
    /// order; ``decode(_:extraKeys:explainByDefault:)`` reads it back to the same request.
    public var jsonObject: String { "{" + jsonMembers.joined(separator: ",") + "}" }

    /// The request as a line of `relief batch`: ``jsonObject`` with `explain` when it is asked
    /// for (a batch line's default is not to), which the batch reads back to the same request.
    public var batchLine: String { "{" + (jsonMembers + (explain ? ["\"explain\":true"] : [])).joined(separator: ",") + "}" }

    /// The members of ``jsonObject``, in order.
    private var jsonMembers: [String] {
        var parts: [String] = []
        func list(_ items: Set<String>) -> String { "[" + items.sorted().map(jsonString).joined(separator: ",") + "]" }
        if let b = budgetSeconds { parts.append("\"minutes\":\(jsonNumber(b / 60))") }
        if !minimums.isEmpty {
            parts.append("\"minimums\":{" + minimums.keys.sorted().map { "\(jsonString($0)):\(jsonNumber(minimums[$0]!))" }.joined(separator: ",") + "}")
        }
        parts.append("\"max_share\":\(jsonNumber(maxShare))")
        if let k = maxExercises { parts.append("\"max_exercises\":\(k)") }
        parts.append("\"conditions\":" + list(conditions))
        parts.append("\"exclude\":" + list(excluded))
        parts.append("\"include\":" + list(included))
        parts.append("\"equipment\":" + (equipment.map(list) ?? "[\"any\"]"))
        parts.append("\"strength_share\":\(jsonNumber(strengthShare))")
        if let screen {
            parts.append("\"screen\":{" + screen.keys.sorted().map { "\(jsonString($0)):\(screen[$0]! ? "true" : "false")" }.joined(separator: ",") + "}")
        }
        if let t = timeLimit { parts.append("\"time_limit\":\(jsonNumber(t))") }
        return parts
    }
}

extension ProgrammeSettings {
    /// The settings as a JSON object (keys of ``keys``), in a fixed order.
    public var jsonObject: String {
        var parts = ["\"start\":\"\(start)\"", "\"weeks\":\(weeks)", "\"relief_weeks\":\(reliefWeeks)", "\"days\":\(days)",
                     "\"maintenance_days\":\(maintenanceDays)", "\"maintenance_minutes\":\(jsonNumber(maintenanceMinutes))",
                     "\"maintenance_strength_share\":\(jsonNumber(maintenanceStrengthShare))",
                     "\"walk_minutes\":\(jsonNumber(walkMinutes))"]
        if let r = reliefWalkMinutes { parts.append("\"relief_walk_minutes\":\(jsonNumber(r))") }
        parts += ["\"max_days_per_exercise\":\(maxDaysPerExercise)", "\"max_new_exercises\":\(maxNewExercises)",
                  "\"max_growth\":\(jsonNumber(maxGrowth))"]
        if let p = usualPain { parts.append("\"usual_pain\":\(jsonNumber(p))") }
        parts.append("\"session_time\":\"\(sessionTime)\"")
        return "{" + parts.joined(separator: ",") + "}"
    }
}

extension Programme {
    public static let schemaVersion = 1

    public func rendered(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: text(markdown: false)
        case .markdown: text(markdown: true)
        case .json: try jsonText()
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
        for d in decisions where d.kind == .advice { out.append("Symptom logged on \(date(of: d)): \(d.text)") }
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
        let proof = proven ? "every week proven the shortest that keeps its rules" : "not every week is proven shortest (see the notes)"
        heading("Your programme: \(settings.weeks) week\(settings.weeks == 1 ? "" : "s") from \(settings.start.weekdayName) \(settings.start) (\(proof))", 1)
        out.append("")
        out.append("Phases: " + phaseSummary + ".")
        for week in weeks {
            out.append("")
            out += weekCalendar(week, markdown: markdown)
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
        out += closingLines(screen, markdown: markdown)
        return out.joined(separator: "\n") + "\n"
    }

    func weekTitle(_ week: ProgrammeWeek) -> String {
        let status: String
        switch week.status {
        case .optimal: status = "proven shortest"
        case .feasible: status = "not proven shortest"
        case .infeasible: status = "no week keeps every rule"
        case .stopped: status = "not planned"
        }
        var title = "Week \(week.number) (\(week.phase.rawValue) phase, \(status))"
        if week.status == .optimal || week.status == .feasible {
            let sessions = week.days.reduce(0) { $0 + $1.sessionSeconds }
            title += ": \(week.sessionCount) sessions, \(clock(sessions))"
            if week.walkingMinutes > 0 { title += ", and \(clock(week.walkingMinutes * 60)) of walking" }
        }
        return title
    }

    func weekCalendar(_ week: ProgrammeWeek, markdown: Bool) -> [String] {
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
        if !week.binding.isEmpty { out.append(indent + "At their limit: " + week.binding.joined(separator: "; ") + ".") }
        for n in week.notes { out.append(indent + "Note: " + n) }
        return out
    }

    /// A printable handout for one week: its calendar, then how to do every exercise in it,
    /// with dose, sides, rest, stop cues and the person's cautions, and when to stop.
    public func handout(week number: Int) -> String {
        guard let week = weeks.first(where: { $0.number == number }) else { return "" }
        var out: [String] = alertLines(alerts, markdown: true)
        out.append("# Relief programme: week \(week.number) of \(settings.weeks)")
        out.append("")
        out.append("From \(week.days.first!.date.weekdayName) \(week.days.first!.date) to \(week.days.last!.date.weekdayName) \(week.days.last!.date). The programme: " + phaseSummary + ".")
        out.append("")
        out += weekCalendar(week, markdown: true)
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
            out.append("Walk briskly enough to breathe harder but still talk, on the days the calendar shows.")
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
        out.append("## Your log")
        out.append("")
        out.append("After each session: `relief log --programme programme.json session --done all --pain-before N --pain-after N --effort N`; each morning: `relief log --programme programme.json morning --pain N` (pain and effort 0-10; the date is today unless `--date YYYY-MM-DD`). Any of these: stop, and log it, e.g. `relief log --programme programme.json symptom leg-pain`: \(LogEntry.Symptom.names). When a clinician has seen you and says you can exercise again: `relief log --programme programme.json cleared`.")
        out.append("")
        out.append("_\(medicalDisclaimer)_")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// JSON, schema `relief-programme` version 1 (README, "Programme JSON").
    public func jsonText() throws -> String {
        var weekTexts: [String] = []
        for week in weeks {
            var days: [String] = []
            for day in week.days {
                let session = try day.session.map { try encodeJSON(JSONPlan.Item($0), snakeCase: true) }
                days.append("{\"date\":\"\(day.date)\",\"weekday\":\"\(day.date.weekdayName)\",\"paused\":\(day.paused),\"session_seconds\":\(jsonNumber(round3(day.sessionSeconds))),\"session\":[\(session.joined(separator: ","))],\"walk_minutes\":\(jsonNumber(round3(day.walkMinutes))),\"walk\":\(day.walkID.map(jsonString) ?? "null")}")
            }
            func numbers(_ d: [String: Double]) -> String {
                "{" + d.keys.sorted().map { "\(jsonString($0)):\(jsonNumber(round3(d[$0]!)))" }.joined(separator: ",") + "}"
            }
            let ladders = "{" + week.ladders.keys.sorted().map { "\(jsonString($0)):\(jsonString(week.ladders[$0]!))" }.joined(separator: ",") + "}"
            weekTexts.append("{\"number\":\(week.number),\"phase\":\"\(week.phase.rawValue)\",\"status\":\"\(week.status.rawValue)\",\"total_seconds\":\(jsonNumber(round3(week.totalSeconds))),\"walking_minutes\":\(jsonNumber(round3(week.walkingMinutes))),\"sessions\":\(week.sessionCount),\"session_minimums\":\(numbers(week.sessionMinimums)),\"coverage\":\(numbers(week.coverage)),\"binding\":[\(week.binding.map(jsonString).joined(separator: ","))],\"ladders\":\(ladders),\"notes\":[\(week.notes.map(jsonString).joined(separator: ","))],\"days\":[\(days.joined(separator: ","))]}")
        }
        let decisionTexts = decisions.map { d in
            "{\"week\":\(d.week),\"date\":\"\(date(of: d))\",\"kind\":\"\(d.kind.rawValue)\",\"text\":\(jsonString(d.text)),\"evidence\":[\(d.evidence.map(jsonString).joined(separator: ","))]}"
        }
        let excludedTexts = try excluded.map { try encodeJSON($0) }
        func pauseJSON(_ p: SessionPause) throws -> String {
            "{\"from\":\"\(p.from)\",\"cleared\":\(p.cleared.map { "\"\($0)\"" } ?? "null"),\"resumes\":\(p.resumes.map { "\"\($0)\"" } ?? "null"),\"urgency\":\"\(p.finding.urgency.rawValue)\",\"advice\":\(jsonString(p.finding.advice)),\"source\":\(jsonString(p.finding.source)),\"rule\":\(jsonString(p.finding.rule)),\"symptoms\":[\(p.symptoms.map(jsonString).joined(separator: ","))],\"evidence\":[\(p.evidence.map(jsonString).joined(separator: ","))]}"
        }
        let urgencyText = try urgency.map(pauseJSON) ?? "null"
        let pauseTexts = try pauses.map(pauseJSON)
        let reviewText = review.map { "{\"week\":\($0.week),\"date\":\"\(date(of: $0))\",\"text\":\(jsonString($0.text)),\"evidence\":[\($0.evidence.map(jsonString).joined(separator: ","))]}" } ?? "null"

        let status = screen.status == .redFlag ? "red_flag" : stopped ? "stopped" : infeasible ? "infeasible" : proven ? "optimal" : "feasible"
        let doc = "{\"schema\":\"relief-programme\",\"schema_version\":\(Self.schemaVersion),\"status\":\"\(status)\",\"alerts\":[\(alerts.map(jsonString).joined(separator: ","))],\"urgency\":\(urgencyText),\"review\":\(reviewText),\"pauses\":[\(pauseTexts.joined(separator: ","))],\"settings\":\(settings.jsonObject),\"request\":\(request.jsonObject),\"weeks\":[\(weekTexts.joined(separator: ","))],\"decisions\":[\(decisionTexts.joined(separator: ","))],\"excluded\":[\(excludedTexts.joined(separator: ","))],\"notes\":[\(notes.map(jsonString).joined(separator: ","))],\"screen\":\(try encodeJSON(screen, snakeCase: true)),\"stop_rules\":[\(stopRules.map(jsonString).joined(separator: ","))],\"disclaimer\":\(jsonString(medicalDisclaimer))}"
        // Pretty-printed through the strict reader, so the file is valid JSON by construction.
        guard let node = try? JSONNode.parse(bytes: Array(doc.utf8)) else {
            throw EncodingFailure(description: "the programme could not be written as JSON; nothing was printed")
        }
        return node.pretty() + "\n"
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
