import ArgumentParser
import Foundation
import Relief
import ReliefFormats

/// Where a log entry goes: the programme file and its log.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The programme file `relief programme --out` wrote.", valueName: "file"))
    var programme: String

    @Option(help: ArgumentHelp("The log to append to (default: the programme's .log.jsonl beside it).", valueName: "file"))
    var log: String?

    @OptionGroup var data: DataOption<LogDataWords>

    @Option(help: ArgumentHelp("Today's date, YYYY-MM-DD (default: the system's); entries after it are refused.", valueName: "date"))
    var today: String?

    var logPath: String { log ?? defaultLogPath(programme) }

    /// Appends one entry: the whole log, with it, must read cleanly and the programme must
    /// re-plan with it; then the file is replaced atomically. Nothing is written otherwise.
    func append(_ make: (CalendarDate) throws -> LogEntry) throws {
        let (entry, planned) = try reportingErrors(afterData: "nothing was logged; the log is as it was.") { () -> (LogEntry, Programme) in
            let catalogue = try data.loadCatalogue()
            let today = try todayDate(self.today)
            let (settings, request) = try ProgrammeFile.load(path: programme, catalogue: catalogue)
            let entry = try make(today)
            // Read, checked and replaced under the folder's lock: twenty `relief log` at once
            // each add their line (one after another), and none is lost.
            return try withFolderLock(for: logPath) {
                // The whole log with the entry is read as one: a problem in an earlier line is
                // reported at its place, and nothing is written.
                var text = try ProgrammeLog.text(path: logPath)
                if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
                let newLine = text.utf8.count { $0 == 0x0A } + 1
                text += try entry.jsonLine() + "\n"
                let log: ProgrammeLog
                do {
                    log = try ProgrammeLog.parse(text, file: logPath, settings: settings, catalogue: catalogue, today: today)
                } catch let e as DataErrors {
                    // A problem with the entry itself is about what was typed, not a line of the file.
                    throw DataErrors(e.issues.map { $0.file == logPath && $0.line == newLine ? DataIssue(file: "the new entry", $0.message) : $0 })
                }
                // The programme must re-plan with it ("done": "all" on a rest day is refused here).
                let planned = try ProgrammePlanner(planner: Planner(catalogue: catalogue)).plan(settings: settings, request: request, log: log)
                try writeAtomically(text, to: logPath)
                return (log.entries.last!, planned)
            }
        }
        // The advice of a symptom that stops the sessions comes first.
        var lines = planned.logAlerts.map { "!! " + $0 }
        lines.append("Logged \(entry.summary) in \(logPath).")
        if let decision = planned.decisions.last(where: { $0.evidence.contains(entry.summary) }), decision.kind != .stop {
            lines.append("From \(planned.date(of: decision)) (week \(decision.week)): \(decision.text)")
        }
        if let o = planned.outcomes {
            switch entry.fact {
            case .startBack(let s): lines.append("STarT Back: \(s.shown). NICE NG59: \(s.group.care).")
            case .outcome:
                if let r = o.records.last(where: { $0.line == entry.line }) {
                    for s in r.scores {
                        lines.append(r.changes.first { $0.measure == s.measure }?.shown ?? "\(s.shown): the baseline (\(s.detail))")
                    }
                }
            default: break
            }
        }
        lines.append("Re-plan the weeks ahead with: relief programme --replan \(self.programme)")
        try reportingErrors { try emit(lines.joined(separator: "\n") + "\n") }
        if planned.stopped { throw Exit.redFlag }
    }
}

func parseDate(_ text: String?, today: CalendarDate, flag: String = "--date") throws -> CalendarDate {
    guard let text else { return today }
    guard let date = CalendarDate(text) else { throw ValidationError("\(flag) must be \(CalendarDate.expected), got \"\(text)\"") }
    return date
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log a session, the morning's pain or a symptom for your programme.",
        discussion: """
        Each entry is one line of the programme's log (JSON Lines, README "The programme log"); \
        a bad entry is refused with its reason and the log is left as it was.

        Examples:
          relief log --programme programme.json session --date 2026-12-01 --done all --pain-before 5 --pain-after 4 --effort 5
          relief log --programme programme.json session --done cat-camel,bird-dog --pain-after 3
          relief log --programme programme.json morning --date 2026-12-02 --pain 4
          relief log --programme programme.json symptom leg-pain
          relief log --programme programme.json cleared --date 2026-12-09
          relief log --programme programme.json startback --answers 1,0,1,0,0,1,1,0,very-much
          relief log --programme programme.json outcome --nprs 6 --rmdq 1,1,0,0,1,0,0,0,0,1,0,0,0,0,0,1,0,0,0,0,0,0,0,0 --psfs bending:4,sitting:6
          relief log --programme programme.json outcome --odi 2,1,-,3,2,2,1,0,2,1 --pgic much-improved

        Outcome measures (README, "Outcome measures"): STarT Back and the baselines in week 1, \
        follow-ups every 4 weeks and in the last week; each score is shown against its baseline \
        as meaningfully better, no meaningful change or meaningfully worse.

        Symptoms: saddle-numbness, bladder-bowel, both-legs, progressive-weakness, fever, \
        weight-loss, night-pain, fall, cannot-bear-weight, fall-no-injury, sudden-back-pain, leg-pain, pins-and-needles, \
        numbness (and weakness). Each \
        has an urgency from the red-flag table (README, "Red flags"); one that needs a clinician \
        stops every session from its date until `cleared` records that a clinician has seen you.

        Pain and effort are 0-10 (0 none, 10 the worst imaginable; effort as the Borg CR10 scale).
        """,
        subcommands: [SessionEntry.self, MorningEntry.self, SymptomEntry.self, ClearedEntry.self, OutcomeEntry.self, StartBackEntry.self]
    )

    static let kinds = ["session", "morning", "symptom", "cleared", "outcome", "startback"]

    /// Where the entry's kind is in `relief log ...`: the shared options all take a value
    /// (`--programme F` or `--programme=F`), so it is the first word that is neither an option
    /// nor an option's value (known, or a typo).
    static func kindIndex(_ arguments: [String]) -> Int? {
        guard arguments.first == "log" else { return nil }
        var i = 1
        while i < arguments.count, arguments[i].hasPrefix("-") {
            i += arguments[i].contains("=") || ["-h", "--help"].contains(arguments[i]) ? 1 : 2
        }
        return i < arguments.count ? i : nil
    }

    /// `relief log --programme F session ...` as `relief log session --programme F ...`: the
    /// options every entry shares may come before the entry's kind.
    static func reordered(_ arguments: [String]) throws -> [String] {
        guard let k = kindIndex(arguments) else { return arguments }
        guard kinds.contains(arguments[k]) else {
            throw ValidationError("the entry must be \(kinds.joined(separator: ", ")), got \"\(arguments[k])\"; e.g. relief log --programme programme.json morning --pain 4")
        }
        var out = arguments
        let kind = out.remove(at: k)
        out.insert(kind, at: 1)
        return out
    }
}

struct SessionEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "A session: what you did, your pain before and after, and the effort.")
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("all, none, or the exercise ids done, comma-separated.", valueName: "what")) var done: String = "all"
    @Option(help: ArgumentHelp("Pain before, 0-10.", valueName: "n"), transform: decimalFlag) var painBefore: Double?
    @Option(help: ArgumentHelp("Pain after, 0-10.", valueName: "n"), transform: decimalFlag) var painAfter: Double?
    @Option(help: ArgumentHelp("How hard it felt, 0-10.", valueName: "n"), transform: decimalFlag) var effort: Double?

    func run() throws {
        try options.append { today in
            let day = try parseDate(date, today: today)
            let what: LogEntry.Done
            switch done {
            case "all": what = .all
            case "none": what = .none
            default: what = .some(done.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            }
            return LogEntry(date: day, fact: .session(done: what, painBefore: painBefore, painAfter: painAfter, effort: effort))
        }
    }
}

struct MorningEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "morning", abstract: "This morning's pain, 0-10.")
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("Pain on waking, 0-10.", valueName: "n"), transform: decimalFlag) var pain: Double

    func run() throws {
        try options.append { today in LogEntry(date: try parseDate(date, today: today), fact: .morning(pain: pain)) }
    }
}

struct SymptomEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "symptom", abstract: "A symptom: its urgency says how soon to be seen; one that needs a clinician stops the sessions.")
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Argument(help: ArgumentHelp("One of \(LogEntry.Symptom.names) (bladder and bowel are bladder-bowel).", valueName: "symptom")) var symptom: String

    func validate() throws {
        if LogEntry.Symptom(named: symptom) == nil {
            throw ValidationError("the symptom must be one of \(LogEntry.Symptom.names), got \"\(symptom)\"")
        }
    }

    func run() throws {
        guard let s = LogEntry.Symptom(named: symptom) else { throw ExitCode.validationFailure }
        try options.append { today in LogEntry(date: try parseDate(date, today: today), fact: .symptom(s)) }
    }
}

struct ClearedEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cleared", abstract: "A clinician has seen you after a symptom and cleared you to exercise: sessions resume the next day.")
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day you were cleared, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?

    func run() throws {
        try options.append { today in LogEntry(date: try parseDate(date, today: today), fact: .cleared) }
    }
}

/// The answers as numbers from a comma-separated list, each checked by `item`.
func commaList(_ text: String) -> [String] {
    text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
}

struct OutcomeEntry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Outcome questionnaires: pain (NPRS), function (RMDQ or ODI), the activities you named (PSFS), the change since the start (PGIC).",
        discussion: """
        Give any of them; the first of each measure is its baseline, and every later one is shown \
        against it (minimal important change: NPRS 2 points and 30 %, RMDQ 5 and 30 %, ODI 10 and \
        30 %, PSFS 2 points; Ostelo et al. 2008, Stratford et al. 1995).

        --nprs: "what number describes your back pain, on average, over the last week?" \
        0 no pain, 10 the worst imaginable, a whole number.

        --rmdq: the 24 statements of the Roland-Morris Disability Questionnaire in their order, \
        1 for each that applies today (yes), 0 for one that does not; the score is the count of \
        yeses, 0-24. Ask them with the published form (README, "Licences": its text is not \
        shipped here).

        --odi: the 10 sections of the Oswestry Disability Index v2.1a in their order (pain \
        intensity, personal care, lifting, walking, sitting, standing, sleeping, sex life, social \
        life, travelling), each the statement chosen, 0 (the first) to 5 (the last), - for a \
        section skipped (at most 2); score = sum / (5 x sections answered) x 100. The ODI is \
        licensed (Mapi Research Trust): use your licensed form; only the section scores are kept.

        --psfs: 1-5 activities you find hard because of your back, each "activity:score", \
        0 unable to do it, 10 able to do it as before; the score is their mean. Name the same \
        activities at every follow-up.

        --pgic: "since the start of the programme, how would you describe the change in your \
        back?" \(PGICAnswer.keys) (a word or its number). Much or very much improved is \
        meaningfully better (Farrar et al. 2001).
        """)
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("Pain, 0-10 (a whole number).", valueName: "n"), transform: decimalFlag) var nprs: Double?
    @Option(help: ArgumentHelp("The 24 RMDQ answers in order, 1 yes or 0 no, comma-separated.", valueName: "1,0,...")) var rmdq: String?
    @Option(help: ArgumentHelp("The 10 ODI section scores in order, 0-5 or - for skipped, comma-separated.", valueName: "2,1,-,...")) var odi: String?
    @Option(help: ArgumentHelp("1-5 activities as activity:score (0-10), comma-separated.", valueName: "bending:4,...")) var psfs: String?
    @Option(help: ArgumentHelp("The change since the start: \(PGICAnswer.allCases.map(\.key).joined(separator: ", ")), or 1-7.", valueName: "answer")) var pgic: String?

    func answers() throws -> OutcomeAnswers {
        var a = OutcomeAnswers(nprs: nprs)
        if let rmdq {
            a.rmdq = try commaList(rmdq).enumerated().map { k, x in
                switch x {
                case "1", "yes", "y": return true
                case "0", "no", "n": return false
                default: throw ValidationError("--rmdq item \(k + 1) must be 1 (yes) or 0 (no), got \"\(x)\"")
                }
            }
        }
        if let odi {
            a.odi = try commaList(odi).enumerated().map { k, x in
                if x == "-" || x.isEmpty { return nil }
                guard let n = Int(x), (0...5).contains(n) else { throw ValidationError("--odi section \(k + 1) must be 0-5 or - (skipped), got \"\(x)\"") }
                return n
            }
        }
        if let psfs {
            a.psfs = try commaList(psfs).enumerated().map { k, x in
                guard let colon = x.lastIndex(of: ":"), let n = Double(x[x.index(after: colon)...].trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--psfs activity \(k + 1) must be activity:score with a score 0-10, got \"\(x)\"")
                }
                return PSFSActivity(activity: x[..<colon].trimmingCharacters(in: .whitespaces), score: n)
            }
        }
        if let pgic {
            guard let p = PGICAnswer(key: pgic) else { throw ValidationError("--pgic must be one of \(PGICAnswer.keys), got \"\(pgic)\"") }
            a.pgic = p
        }
        if a.isEmpty { throw ValidationError("give at least one of --nprs, --rmdq, --odi, --psfs, --pgic") }
        if let p = a.problems().first {
            throw ValidationError("--\(p.field)" + (p.item.map { " item \($0)" } ?? "") + ": expected \(p.expected), got \(p.value)")
        }
        return a
    }

    func validate() throws { _ = try answers() }

    func run() throws {
        let a = try answers()
        try options.append { today in LogEntry(date: try parseDate(date, today: today), fact: .outcome(a)) }
    }
}

struct StartBackEntry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startback",
        abstract: "The Keele STarT Back Screening Tool's 9 answers: low, medium or high risk, and what NICE NG59 advises for each.",
        discussion: """
        Thinking about the last 2 weeks; items 1-8: 1 agree, 0 disagree; item 9: \(StartBack.Bothersome.keys) \
        (a word or its number). The topics (ask them with Keele's form, which keeps the \
        validated wording; © Keele University, part-funded by Arthritis Research UK; free to use \
        with that statement kept):
          \(StartBack.topics.joined(separator: "\n  "))

        Scoring (Hill et al. 2008): total 0-9 (item 9 counts 1 for very much or extremely); 3 or \
        less is low risk; otherwise the psychosocial subscale (items 5-9) decides: 3 or less \
        medium, 4 or more high. High risk adds a clinician's review in week 2.
        """)
    @OptionGroup var options: LogOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("The 9 answers, comma-separated: items 1-8 1 or 0, item 9 0-4 or its word.", valueName: "1,0,...")) var answers: String

    func screening() throws -> StartBack {
        let items = commaList(answers)
        guard items.count == StartBack.itemCount else {
            throw ValidationError("--answers must have \(StartBack.itemCount) answers (items 1-8 1 or 0, item 9 0-4), got \(items.count)")
        }
        var numbers: [Int] = []
        for (k, x) in items.enumerated() {
            if k == 8, let b = StartBack.Bothersome(key: x) { numbers.append(b.rawValue); continue }
            guard let n = Int(x) else {
                throw ValidationError("--answers item \(k + 1) must be " + (k < 8 ? "1 (agree) or 0 (disagree)" : StartBack.Bothersome.keys) + ", got \"\(x)\"")
            }
            numbers.append(n)
        }
        switch StartBack.read(numbers) {
        case .success(let s): return s
        case .failure(let e):
            throw ValidationError(e.problems.map { p in "--answers" + (p.item.map { " item \($0)" } ?? "") + ": expected \(p.expected), got \(p.value)" }.joined(separator: "; "))
        }
    }

    func validate() throws { _ = try screening() }

    func run() throws {
        let s = try screening()
        try options.append { today in LogEntry(date: try parseDate(date, today: today), fact: .startBack(s)) }
    }
}
