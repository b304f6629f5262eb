import ArgumentParser
import Foundation
import Relief
import ReliefFormats

/// Settings flags of `relief programme` (each overrides a profile's `programme` object).
struct ProgrammeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Weeks in the programme (1-52, default 6).", valueName: "n")) var weeks: Int?
    @Option(help: ArgumentHelp("Relief sessions a week (1-6, default 5; at least one rest day).", valueName: "n")) var days: Int?
    @Option(help: ArgumentHelp("The first day, YYYY-MM-DD (default: today).", valueName: "date")) var start: String?
    @Option(help: ArgumentHelp("Weeks of the relief phase before maintenance (default 4; your log may hold it longer).", valueName: "n")) var reliefWeeks: Int?
    @Option(help: ArgumentHelp("Maintenance sessions a week (1-3, default 3), never on consecutive days (nor Sunday then Monday).", valueName: "n")) var maintenanceDays: Int?
    @Option(help: ArgumentHelp("Minutes of a maintenance session (default 25).", valueName: "n"), transform: decimalFlag) var maintenanceMinutes: Double?
    @Option(help: ArgumentHelp("Share of maintenance session time on strengthening (default 0.5).", valueName: "x"), transform: decimalFlag) var maintenanceStrengthShare: Double?
    @Option(help: ArgumentHelp("The walking a week ramps up to, in minutes (default 150, WHO 2020).", valueName: "n"), transform: decimalFlag) var walkMinutes: Double?
    @Option(help: ArgumentHelp("The first week's walking, where the ramp starts, in minutes (default 10 a relief session day).", valueName: "n"), transform: decimalFlag) var reliefWalkMinutes: Double?
    @Option(help: ArgumentHelp("Each exercise on at most this many days a week (default 4).", valueName: "n")) var maxDaysPerExercise: Int?
    @Option(help: ArgumentHelp("At most this many new exercises a week (default 2; Henry et al. 1999).", valueName: "n")) var maxNewExercises: Int?
    @Option(help: ArgumentHelp("At most this many different exercises in the first week (default 4).", valueName: "n")) var firstWeekExercises: Int?
    @Option(help: ArgumentHelp("The first week's sessions use at least this share of their minutes (default 0.5).", valueName: "x"), transform: decimalFlag) var startShare: Double?
    @Option(help: ArgumentHelp("Each week after, sessions use this much more of their minutes, up to 0.9 (default 0.1).", valueName: "x"), transform: decimalFlag) var doseStep: Double?
    @Option(help: ArgumentHelp("A flare at the start lasts this many weeks, then its rules lift (default 2 with the acute-flare condition, else 0).", valueName: "n")) var flareWeeks: Int?
    @Option(help: ArgumentHelp("The week's total time grows by at most this fraction (default 0.2).", valueName: "x"), transform: decimalFlag) var maxGrowth: Double?
    @Option(help: ArgumentHelp("Your usual pain, 0-10: the baseline the log is read against (default: your first morning log).", valueName: "n"), transform: decimalFlag) var usualPain: Double?
    @Option(help: ArgumentHelp("When sessions go in your calendar, HH:MM (default 08:00).", valueName: "time")) var sessionTime: String?

    func apply(to base: ProgrammeSettings) throws -> ProgrammeSettings {
        var s = base
        if let start {
            guard let date = CalendarDate(start) else { throw ValidationError("--start must be \(CalendarDate.expected), got \"\(start)\"") }
            s.start = date
        }
        if let weeks { s.weeks = weeks }
        if let days { s.days = days }
        if let reliefWeeks { s.reliefWeeks = reliefWeeks } else if weeks != nil { s.reliefWeeks = min(s.reliefWeeks, s.weeks) }
        if let maintenanceDays { s.maintenanceDays = maintenanceDays }
        if let maintenanceMinutes { s.maintenanceMinutes = maintenanceMinutes }
        if let maintenanceStrengthShare { s.maintenanceStrengthShare = maintenanceStrengthShare }
        if let walkMinutes { s.walkMinutes = walkMinutes }
        if let reliefWalkMinutes { s.reliefWalkMinutes = reliefWalkMinutes }
        if let maxDaysPerExercise { s.maxDaysPerExercise = maxDaysPerExercise }
        if let maxNewExercises { s.maxNewExercises = maxNewExercises }
        if let firstWeekExercises { s.firstWeekExercises = firstWeekExercises }
        if let startShare { s.startShare = startShare }
        if let doseStep { s.doseStep = doseStep }
        if let flareWeeks { s.flareWeeks = flareWeeks }
        if let maxGrowth { s.maxGrowth = maxGrowth }
        if let usualPain { s.usualPain = usualPain }
        if let sessionTime { s.sessionTime = sessionTime }
        return s
    }

    var anyGiven: Bool {
        weeks != nil || days != nil || start != nil || reliefWeeks != nil || maintenanceDays != nil || maintenanceMinutes != nil
            || maintenanceStrengthShare != nil || walkMinutes != nil || reliefWalkMinutes != nil || maxDaysPerExercise != nil
            || maxNewExercises != nil || firstWeekExercises != nil || startShare != nil || doseStep != nil || flareWeeks != nil || maxGrowth != nil || usualPain != nil || sessionTime != nil
    }
}

/// Today as the person's calendar has it (local time), or --today.
func todayDate(_ argument: String?) throws -> CalendarDate {
    if let argument {
        guard let date = CalendarDate(argument) else { throw ValidationError("--today must be \(CalendarDate.expected), got \"\(argument)\"") }
        return date
    }
    let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
    let text = String(format: "%04d-%02d-%02d", parts.year ?? 2000, parts.month ?? 1, parts.day ?? 1)
    return CalendarDate(text) ?? CalendarDate.today(secondsSince1970: Date().timeIntervalSince1970)
}

/// The log beside a programme file: `programme.json` → `programme.log.jsonl`.
func defaultLogPath(_ programme: String) -> String {
    (programme.hasSuffix(".json") ? String(programme.dropLast(5)) : programme) + ".log.jsonl"
}

struct ProgrammeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme",
        abstract: "Plan weeks of sessions: a relief phase, then maintenance, adapted to your log.",
        discussion: """
        Each week is one mixed-integer programme solved with GLPK: the shortest week that keeps \
        every rule (each relief session covers every cause; maintenance sessions are fewer, \
        never on consecutive days, half strengthening, with a weekly walking target; no muscle \
        group strengthened on consecutive days; each exercise on at most 4 days; at most 2 new \
        exercises a week; the week's time grows by at most 20%; exercises move along their \
        progression ladders). The README explains every rule and its source.

        Examples:
          relief programme --minutes 15 --weeks 6 --days 5 --start 2026-12-01 --screen clear --out programme.json
          relief programme --profile data/profiles/sciatica.json --start 2026-12-01 --screen clear \\
                           --out programme.json --handouts handouts --ics programme.ics
          relief log --programme programme.json session --date 2026-12-01 --done all --pain-before 5 --pain-after 4 --effort 5
          relief log --programme programme.json morning --date 2026-12-02 --pain 4
          relief programme --replan programme.json     # the weeks ahead, from what the log shows

        With --out the programme is kept in a file (JSON, with its settings): `relief log` appends \
        to the log beside it (programme.log.jsonl) and `--replan` reads both.
        """
    )

    @Option(help: ArgumentHelp("Minutes of a relief session (default 15).", valueName: "n"), transform: decimalFlag)
    var minutes: Double?

    @OptionGroup var routine: RoutineOptions
    @OptionGroup var settings: ProgrammeOptions

    @Option(help: ArgumentHelp("Re-plan the programme in FILE (its settings and request) from its log; writes FILE again unless --out is given.", valueName: "file"))
    var replan: String?

    @Option(help: ArgumentHelp("The log to read with --replan (default: FILE's .log.jsonl beside it).", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("Output: table, markdown (every week), json (schema in the README) or fhir (an HL7 FHIR R4 Bundle of the programme and, with --replan, its log).", valueName: "format"))
    var format: FormatArgument = .format(.table)

    @Option(help: ArgumentHelp("With --format fhir: the patient's identifier (pseudonymous, e.g. the clinic's chart code).", valueName: "id"))
    var patientId: String?

    @Option(help: ArgumentHelp("With --patient-id: the namespace (a URI) the identifier is unique in.", valueName: "uri"))
    var patientSystem: String?

    @Option(help: ArgumentHelp("With --format fhir: the patient's name (left out unless given).", valueName: "name"))
    var patientName: String?

    @Option(help: ArgumentHelp("Keep the programme in this JSON file, for `relief log` and --replan.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Write a printable Markdown handout per week into this folder (week-01.md, ...), and setup.md with the commands for whoever sets it up.", valueName: "dir"))
    var handouts: String?

    @Option(help: ArgumentHelp("Write the sessions as an iCalendar file with reminders, for your calendar app.", valueName: "file"))
    var ics: String?

    @Option(help: ArgumentHelp("Write each week's model in CPLEX LP format into this folder (week-01.lp, ...), for other solvers.", valueName: "dir"))
    var exportLp: String?

    @Option(help: ArgumentHelp("Today's date, YYYY-MM-DD (default: the system's); log entries after it are refused.", valueName: "date"))
    var today: String?

    func validate() throws {
        let chosen = try format.validated()
        if chosen != .fhir {
            for (flag, value) in [("--patient-id", patientId), ("--patient-system", patientSystem), ("--patient-name", patientName)] where value != nil {
                throw ValidationError("\(flag) goes with --format fhir")
            }
        }
        for (flag, value) in [("--patient-id", patientId), ("--patient-name", patientName)] {
            if let value, value.isEmpty || value.count > 200 || value.trimmingCharacters(in: .whitespacesAndNewlines) != value {
                throw ValidationError("\(flag) must be 1 to 200 characters with no space at either end, got \"\(value)\"")
            }
        }
        if let patientSystem {
            if patientId == nil { throw ValidationError("--patient-system goes with --patient-id") }
            if !Self.isAbsoluteURI(patientSystem) {
                throw ValidationError("--patient-system must be an absolute URI such as urn:oid:1.2.3 or https://clinic.example/patients, got \"\(patientSystem)\"")
            }
        }
        let requestFlags = !routine.minimums.isEmpty || routine.maxShare != nil || routine.maxExercises != nil
            || !routine.avoid.isEmpty || !routine.exclude.isEmpty || !routine.include.isEmpty || routine.equipment != nil
            || routine.strengthShare != nil || routine.screen != nil
        if replan != nil && (settings.anyGiven || minutes != nil || routine.profile != nil || requestFlags) {
            throw ValidationError("--replan takes the settings and request from its file (only --data, --weights, --time-limit, --log and the outputs go with it); to change them, plan a new programme")
        }
        if replan == nil && log != nil { throw ValidationError("--log goes with --replan") }
    }

    /// A scheme (a letter, then letters, digits, +, - or .), a colon and more, with no spaces
    /// (RFC 3986's absolute URI, as FHIR's `uri` type takes it).
    static func isAbsoluteURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return false }
        return !text.contains { $0.isWhitespace || $0.isNewline }
    }

    func run() throws {
        var exportLog: ProgrammeLog?
        let (programme, outputs) = try reportingErrors(afterData: "nothing was planned or written.") { () -> (Programme, OutputSet) in
            for path in [out, ics].compactMap({ $0 }) { try checkWritable(path) }
            // `--replan FILE` writes FILE again by design; every other input stays as it is.
            var inputs = routine.inputFiles
            if let replan, out != nil { inputs.append(replan) }
            if let replan { inputs.append(self.log ?? defaultLogPath(replan)) }
            try refuseOverwritingInputs(outputs: [out, ics].compactMap { $0 }, inputs: inputs)
            let today = try todayDate(self.today)
            let catalogue: Catalogue
            var request: PlanRequest
            var programmeSettings: ProgrammeSettings
            var log: ProgrammeLog?
            if let replan {
                catalogue = try routine.loadCatalogue()
                (programmeSettings, request) = try ProgrammeFile.load(path: replan, catalogue: catalogue)
                if let limit = routine.timeLimit { request.timeLimit = limit }
                log = try ProgrammeLog.load(path: self.log ?? defaultLogPath(replan), settings: programmeSettings,
                                            catalogue: catalogue, today: today)
            } else {
                (catalogue, request) = try routine.load(minutes: minutes)
                if request.budgetSeconds == nil { request.budgetSeconds = 15 * 60 }
                var base = ProgrammeSettings(start: today)
                if let profile = routine.profile { base = try ProgrammeFile.profileSettings(path: profile, over: base) }
                programmeSettings = try settings.apply(to: base)
            }
            request.explain = false
            exportLog = log
            let planner = ProgrammePlanner(planner: routine.planner(catalogue))
            let programme = try planner.plan(settings: programmeSettings, request: request, log: log)
            // Every file is written, or none: a folder in the way of the last handout leaves
            // the programme file and the calendar as they were.
            var outputs = OutputSet()
            if let path = out ?? replan { outputs.add(try programme.jsonText(), to: path) }
            if let ics { outputs.add(programme.iCalendar(), to: ics) }
            if let handouts {
                outputs.addFolder(handouts)
                for week in programme.weeks where week.status != .stopped {
                    outputs.add(programme.handout(week: week.number), to: handouts + "/week-\(week.number < 10 ? "0" : "")\(week.number).md")
                }
                if let chart = programme.progressChart() { outputs.add(chart, to: handouts + "/" + Programme.progressChartFile) }
                // The commands are for whoever sets the programme up, not the person's pages.
                outputs.add(programme.setupSheet(), to: handouts + "/setup.md")
            }
            if let exportLp {
                outputs.addFolder(exportLp)
                for (number, text) in try planner.exportWeeks(settings: programmeSettings, request: request, log: log) {
                    outputs.add(text, to: exportLp + "/week-\(number < 10 ? "0" : "")\(number).lp")
                }
            }
            try refuseOverwritingInputs(outputs: outputs.paths.filter { $0 != replan || out != nil }, inputs: inputs)
            return (programme, outputs)
        }
        try reportingErrors {
            // The text first: a document that cannot be written leaves the files as they were.
            let text: String
            if format.chosen == .fhir {
                let ids = patientId.map { [FHIRIdentifier(system: patientSystem, value: $0)] } ?? []
                text = try FHIRExport(identifiers: ids, name: patientName, programme: programme, log: exportLog).jsonText()
            } else {
                text = try programme.rendered(format.chosen)
            }
            try outputs.commit()
            try emit(text)
        }
        if programme.screen.status == .redFlag || programme.stopped { throw Exit.redFlag }
        if programme.infeasible { throw Exit.uncoverable }
    }
}
