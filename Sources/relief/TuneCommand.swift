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

        With --clinic DIR it reads a clinic's outcomes (patients.csv, done.csv, scores.csv; see the \
        README, "A clinic's outcomes"): each patient's weekly exercise and follow-up RMDQ, ODI or \
        NPRS scores. It fits the improvement against the cumulative dose of each modality, \
        cross-validated by patient (--folds) with a seeded bootstrap over patients for the intervals \
        (--bootstrap, --seed), and reports what would change in two standard plans. --out FILE \
        writes the tuned weights only when the fit beats the current weights out of sample; \
        otherwise nothing is written and the exit status is 7.
          relief outcomes generate-clinic --patients 2000 --seed 3 --out /tmp/clinic
          relief tune --clinic /tmp/clinic --out tuned.csv
          relief tune --clinic data/outcomes/clinic
        """
    )

    @Option(help: ArgumentHelp("The outcome log folder (sessions.csv and responses.csv).", valueName: "dir"))
    var logs: String?

    @Option(help: ArgumentHelp("Where to write the tuned weights (exercise_id,cause,points).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("A clinic's outcomes folder (patients.csv, done.csv, scores.csv): fit the dose-response per modality.", valueName: "dir"))
    var clinic: String?

    @Option(help: ArgumentHelp("With --clinic: bootstrap resamples of patients for the intervals (0 skips them).", valueName: "b"))
    var bootstrap: Int = 200

    @Option(help: ArgumentHelp("With --clinic: the seed of the folds and the bootstrap (the same seed gives the same report).", valueName: "s"))
    var seed: UInt64 = 1

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
        if clinic != nil {
            if logs != nil || programme != nil { throw ValidationError("--clinic reads a clinic's outcomes; it does not take --logs or --programme") }
            if folds < 2 || !Limits.folds.contains(Double(folds)) { throw ValidationError("--folds must be a whole number from 2 to 100 with --clinic (the verdict needs cross-validation), got \(folds)") }
            if !ClinicFit.bootstrapRange.contains(Double(bootstrap)) { throw ValidationError("--bootstrap must be \(ClinicFit.bootstrapRange.expected), got \(bootstrap)") }
            return
        }
        if programme == nil && (logs == nil || out == nil) {
            throw ValidationError("give --logs DIR and --out FILE (an outcome log), --programme FILE (a programme's log) or --clinic DIR (a clinic's outcomes)")
        }
        if programme != nil && (logs != nil || out != nil) {
            throw ValidationError("--programme fits pain against dose and writes no weights; it does not take --logs or --out")
        }
        if !Limits.priorStrength.contains(priorStrength) { throw ValidationError("--prior-strength must be \(Limits.priorStrength.expected), got \(priorStrength)") }
        if !Limits.folds.contains(Double(folds)) { throw ValidationError("--folds must be \(Limits.folds.expected) (0 skips cross-validation), got \(folds)") }
    }

    /// `relief tune --clinic --out` when the fit does not beat the current weights out of sample.
    static let notApplied = ExitCode(7)

    func runClinic(_ dir: String) throws {
        let showProgress = isatty(2) != 0
        let (report, text, applies) = try reportingErrors(afterData: "nothing was fitted.") { () throws -> (String, String?, Bool) in
            if let out { try checkWritable(out) }
            let catalogue = try data.loadCatalogue()
            let log = try ClinicLog.load(directory: dir, catalogue: catalogue)
            let design = ClinicFit.Design(clinic: log, catalogue: catalogue)
            if showProgress { printError("fitting \(design.summary.scores) follow-up scores of \(design.summary.patientsWithScores) patients…") }
            let fit = try ClinicFit.fit(design, folds: folds, bootstrap: bootstrap, seed: seed,
                                        file: (dir.hasSuffix("/") ? dir : dir + "/") + "scores.csv") { line in
                if showProgress { printError("\r\(line)   ", terminator: "") }
            }
            if showProgress { printError("") }
            let tuning = ClinicTuning(catalogue: catalogue, fit: fit)
            let report = tuning.report(source: dir, changes: try tuning.planChanges())
            let header = """
            Weights tuned by `relief tune --clinic` from \(dir) (\(design.summary.patientsWithScores) patients, \(design.summary.scores) follow-up scores, seed \(seed)).
            Each exercise's points × its modality's slope over the common slope. Not medical advice.
            """
            return (report, fit.applies ? tuning.weightsFile(header: header) : nil, fit.applies)
        }
        try reportingErrors { try emit(report) }
        guard let out else { return }
        guard applies, let text else {
            printError("not applied: nothing written to \(out)")
            throw Self.notApplied
        }
        try reportingErrors { try writeAtomically(text, to: out) }
        printError("tuned weights written to \(out)")
    }

    func run() throws {
        if let clinic { try runClinic(clinic); return }
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
        subcommands: [Generate.self, GenerateClinic.self]
    )

    struct GenerateClinic: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-clinic",
            abstract: "Write a synthetic clinic's outcomes from known true effects per modality.",
            discussion: """
            Writes patients.csv, done.csv and scores.csv (the format relief tune --clinic reads) and \
            true-effects.csv (the effects they were generated from): noise, wild scores, dropouts, \
            missing follow-ups and adherence varying by patient (README, "A clinic's outcomes").

            Example:
              relief outcomes generate-clinic --patients 2000 --seed 3 --out /tmp/clinic
              relief outcomes generate-clinic --patients 2000 --effects equal --out /tmp/equal
            """)

        enum Effects: String, ExpressibleByArgument, CaseIterable { case planted, equal }

        @Option(help: ArgumentHelp("Number of patients.", valueName: "n")) var patients: Int = 300
        @Option(help: ArgumentHelp("Random seed (the same seed gives the same clinic).", valueName: "s")) var seed: UInt64 = 1
        @Option(help: ArgumentHelp("planted: unequal effects per modality; equal: the same per point for every modality (what the current weights say).", valueName: "kind"))
        var effects: Effects = .planted
        @Option(help: ArgumentHelp("The folder to write the clinic and true-effects.csv to.", valueName: "dir")) var out: String
        @OptionGroup var data: DataOption<CatalogueFolderWords>

        func validate() throws {
            if !(1...1_000_000).contains(patients) { throw ValidationError("--patients must be a whole number from 1 to 1,000,000, got \(patients)") }
        }

        func run() throws {
            try reportingErrors {
                let catalogue = try data.loadCatalogue()
                let generator = ClinicGenerator(seed: seed, effects: effects == .equal ? ClinicGenerator.equal : ClinicGenerator.planted)
                try generator.clinic(for: catalogue, patients: patients).write(directory: out, catalogue: catalogue)
                try writeAtomically(generator.trueEffectsFile(), to: out + "/true-effects.csv")
            }
            try reportingErrors { try emit("wrote \(patients) patients to \(out)\n") }
        }
    }

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
