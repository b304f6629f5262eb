import ArgumentParser
import Relief
import ReliefFormats

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a routine of gentle exercises for the time you have.",
        discussion: """
        You get the shortest routine that gives each area Relief plans for its full amount. If \
        your time is shorter than that, you get a partial routine that fits your time and works \
        on each area as evenly as it allows (exit status 0; it says how long the full routine \
        is). Exit status 3 means nothing usable fits in the time given.

        Start with the red-flag questions (relief screen), then, for example:
          relief plan --minutes 15
          relief plan --minutes 10 --avoid flexion-intolerant --equipment none
          relief plan --profile data/profiles/desk-worker.json --format json
          relief plan --minutes 20 --min trigger=16 --export-lp model.lp

        Without --minutes there is no budget: you get the shortest routine with every full amount.
        The output ends with a section for your physiotherapist: what the solver proved, the
        limits the routine reaches and the price of one more point of each minimum.
        """
    )

    @Option(help: ArgumentHelp("Your time budget in minutes. Omit for the shortest routine at all.", valueName: "n"), transform: decimalFlag)
    var minutes: Double?

    @OptionGroup var routine: RoutineOptions

    @Option(help: ArgumentHelp("Output: table (to pin to the fridge), json (for apps; schema in the README) or markdown.", valueName: "format"))
    var format: FormatArgument = .format(.table)

    @Option(help: ArgumentHelp("Also write the exact model solved, in CPLEX LP format, so glpsol, HiGHS or CBC can re-solve it.", valueName: "file"))
    var exportLp: String?

    @Flag(inversion: .prefixedNo, help: "For the physiotherapist's section: the limits the routine reaches and what one more point of each minimum would cost (each found by solving again; --no-explain skips those extra solves).")
    var explain = true

    static let formats: [OutputFormat] = [.table, .json, .markdown]

    func validate() throws {
        _ = try format.validated(allowing: Self.formats)
    }

    func run() throws {
        let (text, status) = try reportingErrors {
            // Where the output goes is checked before any solving.
            if let exportLp {
                try checkWritable(exportLp)
                try refuseOverwritingInputs(outputs: [exportLp], inputs: routine.inputFiles)
            }
            let (catalogue, loaded) = try routine.load(minutes: minutes)
            var request = loaded
            request.explain = explain
            let planner = routine.planner(catalogue)
            let plan = try planner.plan(request)
            let text = try plan.rendered(format.chosen, catalogue: catalogue)
            if let exportLp { try planner.exportModel(request, to: exportLp) }
            return (text, plan.status)
        }
        try reportingErrors { try emit(text) }
        switch status {
        case .optimal, .feasible, .partial: return
        case .overBudget: throw Exit.overBudget
        case .uncoverable: throw Exit.uncoverable
        case .noSolution: throw Exit.noSolution
        case .redFlag: throw Exit.redFlag
        }
    }
}
