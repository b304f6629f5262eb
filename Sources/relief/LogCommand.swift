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

        Symptoms: saddle-numbness, bladder-bowel, both-legs, progressive-weakness, fever, \
        weight-loss, night-pain, fall, leg-pain, pins-and-needles, numbness (and weakness). Each \
        has an urgency from the red-flag table (README, "Red flags"); one that needs a clinician \
        stops every session from its date until `cleared` records that a clinician has seen you.

        Pain and effort are 0-10 (0 none, 10 the worst imaginable; effort as the Borg CR10 scale).
        """,
        subcommands: [SessionEntry.self, MorningEntry.self, SymptomEntry.self, ClearedEntry.self]
    )

    static let kinds = ["session", "morning", "symptom", "cleared"]

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
