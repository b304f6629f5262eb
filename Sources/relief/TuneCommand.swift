import ArgumentParser
import Foundation
import Relief
import ReliefFormats

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune the benefit weights from outcome logs, and show whether they predict better.",
        discussion: """
        Reads an outcome log (a folder with sessions.csv and responses.csv; see the README), \
        fits each exercise's points per unit for each cause by least absolute deviations with a \
        pull toward the catalogue's weights, reports the k-fold cross-validated prediction error \
        of the catalogue's weights against the tuned ones, and writes a weights file that \
        `relief plan --weights FILE` reads. The file is written only when everything succeeded, \
        and atomically: an existing file is never left half-written.

        Example:
          relief outcomes generate --sessions 2000 --out /tmp/log
          relief tune --logs /tmp/log --out tuned.csv
          relief plan --minutes 15 --weights tuned.csv

        With --programme FILE it reads a programme's log instead (relief log): one pain score a \
        day, not a response per cause, so it fits the weekly change in morning pain against the \
        week's minutes of each modality and writes no weights file (README, "The programme log").
          relief tune --programme programme.json
        """
    )

    @Option(help: ArgumentHelp("The outcome log folder (sessions.csv and responses.csv).", valueName: "dir"))
    var logs: String?

    @Option(help: ArgumentHelp("Where to write the tuned weights (exercise_id,cause,points).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("A programme file (relief programme --out): fit pain change against dose by modality from its log.", valueName: "file"))
    var programme: String?

    @Option(help: ArgumentHelp("Today's date for reading the programme's log, YYYY-MM-DD (default: the system's).", valueName: "date"))
    var today: String?

    @Option(help: ArgumentHelp("How many points of absolute prediction error one point of weight change must save (0: no pull toward the catalogue).", valueName: "λ"), transform: decimalFlag)
    var priorStrength: Double = 2

    @Option(help: ArgumentHelp("Folds for cross-validation (0 skips it).", valueName: "k"))
    var folds: Int = 5

    @OptionGroup var data: DataOption<CatalogueFolderWords>

    func validate() throws {
        if programme == nil && (logs == nil || out == nil) {
            throw ValidationError("give --logs DIR and --out FILE (an outcome log), or --programme FILE (a programme's log)")
        }
        if programme != nil && (logs != nil || out != nil) {
            throw ValidationError("--programme fits pain against dose and writes no weights; it does not take --logs or --out")
        }
        if !Limits.priorStrength.contains(priorStrength) { throw ValidationError("--prior-strength must be \(Limits.priorStrength.expected), got \(priorStrength)") }
        if !Limits.folds.contains(Double(folds)) { throw ValidationError("--folds must be \(Limits.folds.expected) (0 skips cross-validation), got \(folds)") }
    }

    func run() throws {
        if let programme {
            let report = try reportingErrors { () -> String in
                let catalogue = try data.loadCatalogue()
                let (settings, request) = try ProgrammeFile.load(path: programme, catalogue: catalogue)
                let log = try ProgrammeLog.load(path: defaultLogPath(programme), settings: settings, catalogue: catalogue,
                                                today: try todayDate(today))
                var quiet = request
                quiet.explain = false
                let planned = try ProgrammePlanner(planner: Planner(catalogue: catalogue)).plan(settings: settings, request: quiet, log: log)
                return try DoseResponse.fit(DoseResponse.weeks(programme: planned, log: log, catalogue: catalogue)).report
            }
            try reportingErrors { try emit(report) }
            return
        }
        guard let logs, let out else { return }
        let showProgress = isatty(2) != 0
        let (report, text) = try reportingErrors { () throws -> (String, String) in
            try checkWritable(out)
            let catalogue = try data.loadCatalogue()
            let log = try OutcomeLog.load(directory: logs, catalogue: catalogue)
            let tuner = Tuner(catalogue: catalogue, priorStrength: priorStrength)
            if showProgress { printError("fitting \(log.sessions.count) sessions…") }
            let weights = try tuner.fit(log.sessions)
            var errors: [CauseError] = []
            if folds > log.sessions.count {
                throw RequestError(problems: [RequestProblem(field: "--folds", value: "\(folds)",
                    expected: "at most the number of sessions in the log (\(log.sessions.count))")])
            }
            if folds >= 2 {
                errors = try tuner.crossValidate(log, folds: folds) { done, total in
                    if showProgress { printError("\rcross-validation: fold \(done) of \(total)", terminator: done == total ? "\n" : "") }
                }
            }
            let header = """
            Weights tuned by `relief tune` from \(logs) (\(log.sessions.count) sessions, prior strength \(priorStrength)).
            Exercises the log never saw keep the catalogue's weights. Not medical advice.
            """
            return (tuningReport(sessions: log.sessions.count, folds: folds, priorStrength: priorStrength,
                                 errors: errors, changes: tuner.largestChanges(weights)),
                    tuner.weightsFile(weights, log: log, header: header))
        }
        try reportingErrors {
            try writeAtomically(text, to: out)
            try emit(report)
        }
        printError("tuned weights written to \(out)")
    }
}

struct OutcomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Outcome logs: generate synthetic ones to check tuning against known weights.",
        subcommands: [Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic outcome log from known true weights, with noise and outliers.")

        @Option(help: ArgumentHelp("Number of sessions.", valueName: "n")) var sessions: Int = 500
        @Option(help: ArgumentHelp("Random seed (the same seed gives the same log).", valueName: "s")) var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Mean absolute noise of a response, in points.", valueName: "b"), transform: decimalFlag) var noise: Double = 0.5
        @Option(help: ArgumentHelp("Share of wild responses.", valueName: "p"), transform: decimalFlag) var outliers: Double = 0.05
        @Option(help: ArgumentHelp("The folder to write sessions.csv, responses.csv and true-weights.csv to.", valueName: "dir")) var out: String
        @OptionGroup var data: DataOption<CatalogueFolderWords>

        func validate() throws {
            if !Limits.sessions.contains(Double(sessions)) { throw ValidationError("--sessions must be \(Limits.sessions.expected), got \(sessions)") }
            if !Limits.noise.contains(noise) { throw ValidationError("--noise must be \(Limits.noise.expected), got \(noise)") }
            if !Limits.outlierRate.contains(outliers) { throw ValidationError("--outliers must be \(Limits.outlierRate.expected), got \(outliers)") }
        }

        func run() throws {
            try reportingErrors {
                let catalogue = try data.loadCatalogue()
                var generator = OutcomeGenerator(seed: seed)
                generator.noise = noise
                generator.outlierRate = outliers
                let truth = generator.trueWeights(for: catalogue)
                try generator.log(for: catalogue, sessions: sessions, truth: truth).write(directory: out, catalogue: catalogue)
                var text = "# The true weights the synthetic log was generated from (seed \(seed)).\nexercise_id,cause,points\n"
                for (e, ex) in catalogue.exercises.enumerated() {
                    for (c, cause) in catalogue.causes.enumerated() { text += "\(ex.id),\(cause.id),\(truth[e][c])\n" }
                }
                try writeAtomically(text, to: out + "/true-weights.csv")
            }
            try reportingErrors { try emit("wrote \(sessions) sessions to \(out)\n") }
        }
    }
}
