import ArgumentParser
import Foundation
import Relief

/// The options every routine-building command shares.
struct RoutineOptions: ParsableArguments {
    @OptionGroup var data: DataOption<RoutineDataWords>

    @Option(help: ArgumentHelp("A profile JSON file (conditions, equipment, minimums...). Flags given here override it.", valueName: "file"))
    var profile: String?

    @Option(name: .customLong("min"), help: ArgumentHelp("Minimum coverage points for a cause, e.g. --min trigger=15. Repeatable.", valueName: "cause=points"))
    var minimums: [String] = []

    @Option(help: ArgumentHelp("Exercises of a focus the session includes, e.g. --focus hip-flexors=1 or --focus balance (one); 0 switches a default such as curl-up off. Repeatable; data/focus.csv lists them (hip-flexors, hamstrings, glutes, thoracic, balance, ...).", valueName: "focus[=n]"))
    var focus: [String] = []

    @Option(help: ArgumentHelp("No single exercise may give more than this share of any cause's minimum (0 < x ≤ 1).", valueName: "x"), transform: decimalFlag)
    var maxShare: Double?

    @Option(help: ArgumentHelp("At most this many different exercises.", valueName: "k"))
    var maxExercises: Int?

    @Option(help: ArgumentHelp("A condition you have, e.g. flexion-intolerant; exercises unsafe with it are left out. Repeatable.", valueName: "condition"))
    var avoid: [String] = []

    @Option(help: ArgumentHelp("An exercise id to leave out. Repeatable.", valueName: "id"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("An exercise id that must be in the routine (at least one set), e.g. a nerve slider your physiotherapist prescribed. Repeatable; never overrides a safety exclusion.", valueName: "id"))
    var include: [String] = []

    @Option(help: ArgumentHelp("The equipment you have, comma-separated, e.g. \"foam roller,chair\"; \"any\" for all of it. Default: none (the output says what one piece would save).", valueName: "list"))
    var equipment: String?

    @Option(help: ArgumentHelp("At least this share of the session's time on strengthening (0-1, default 0.4; 0 turns it off).", valueName: "x"), transform: decimalFlag)
    var strengthShare: Double?

    @Option(help: ArgumentHelp("Your red-flag screen: a file `relief screen --out` wrote, or \"clear\" if you have read the questions (`relief screen --list`) and none applies.", valueName: "file|clear"))
    var screen: String?

    @OptionGroup var overrides: WeightsOption

    @Option(help: ArgumentHelp("Stop the solver after this many seconds and report the best routine found.", valueName: "seconds"), transform: decimalFlag)
    var timeLimit: Double?

    @Option(help: ArgumentHelp("How GLPK searches: core (bound and fix first: fast on catalogues of thousands), full (branch-and-cut on the whole model) or auto (core above \(SolveStrategy.autoThresholdText) usable exercises). The routine is the same; only the time differs.", valueName: "auto|core|full"))
    var strategy: SolveStrategy = .auto

    // Ranges are checked once, with every other entry point's, by PlanRequest.validate.
    func validate() throws {
        for m in minimums where parseMinimum(m) == nil {
            throw ValidationError("--min takes cause=points, e.g. --min trigger=16, got \"\(m)\"")
        }
        for f in focus where parseFocus(f) == nil {
            throw ValidationError("--focus takes a focus id and, optionally, =n exercises (0 to 5), e.g. --focus hip-flexors=1, got \"\(f)\"")
        }
    }

    func parseFocus(_ text: String) -> (String, Int)? {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty else { return nil }
        if parts.count == 1 { return (parts[0], 1) }
        guard let n = Int(parts[1]), (0...5).contains(n) else { return nil }
        return (parts[0], n)
    }

    func parseMinimum(_ text: String) -> (String, Double)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let points = decimalNumber(parts[1]) else { return nil }
        return (parts[0], points)
    }

    /// A planner for the catalogue with the chosen strategy.
    func planner(_ catalogue: Catalogue) -> Planner { Planner(catalogue: catalogue, strategy: strategy) }

    /// The files this command reads (the catalogue, weights, profile, screen): no output may
    /// be written over one of them.
    var inputFiles: [String] {
        let folder = data.directory
        return [folder + "/causes.csv", folder + "/exercises.csv", folder + "/focus.csv", overrides.weights, profile, screen == "clear" ? nil : screen].compactMap { $0 }
    }

    /// The catalogue with --weights applied.
    func loadCatalogue() throws -> Catalogue { try overrides.applied(to: data.loadCatalogue()) }

    /// Loads the catalogue (with weight overrides) and builds the request: flags over profile.
    func load(minutes: Double?) throws -> (Catalogue, PlanRequest) {
        let catalogue = try loadCatalogue()
        var request = PlanRequest()
        if let profile { request = try Profile.load(path: profile, catalogue: catalogue).request }
        if let minutes { request.budgetSeconds = minutes * 60 }
        for m in minimums { if let (cause, points) = parseMinimum(m) { request.minimums[cause] = points } }
        for f in focus { if let (id, n) = parseFocus(f) { request.focus[id] = n } }
        if let maxShare { request.maxShare = maxShare }
        if let maxExercises { request.maxExercises = maxExercises }
        request.conditions.formUnion(avoid.map { $0.lowercased() })
        request.excluded.formUnion(exclude)
        request.included.formUnion(include)
        if let equipment {
            request.equipment = PlanRequest.equipment(named: equipment.split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let strengthShare { request.strengthShare = strengthShare }
        if let screen { request.screen = try loadScreen(screen) }
        request.timeLimit = timeLimit
        return (catalogue, request)
    }
}


/// Screen answers from `--screen`: "clear", or a JSON file of question id → true/false.
func loadScreen(_ argument: String) throws -> [String: Bool] {
    if argument == "clear" { return RedFlagScreen.allClear }
    let data: [UInt8]
    do { data = try readInputFile(argument) } catch let e as DataErrors {
        throw DataErrors(e.issues.map { DataIssue(file: $0.file, "\($0.message) (give a file `relief screen --out FILE` wrote, or \"clear\")") })
    }
    let node = try JSONNode.parse(bytes: data, file: argument)
    let (answers, problems) = RedFlagScreen.answers(node, field: "screen")
    if !problems.isEmpty {
        throw DataErrors(problems.map { p in
            // Worded for a file of answers: the question, not the request field.
            let message: String
            if p.field != "screen" {
                message = p.message(naming: String(p.field.dropFirst("screen.".count)))
            } else if case .object = node.value {
                message = "unknown question \(p.value ?? ""); `relief screen --list` shows them"
            } else {
                message = "expected \(p.expected)"
            }
            return DataIssue(file: argument, line: p.line, column: p.column, message)
        })
    }
    return answers
}


extension SolveStrategy: ExpressibleByArgument {}
