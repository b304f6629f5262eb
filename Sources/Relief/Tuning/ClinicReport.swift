import Foundation

/// What a clinic's fit would do to the plans, and the report a clinician reads before anything
/// is applied (`relief tune --clinic`).
public struct ClinicTuning: Sendable {
    public let catalogue: Catalogue
    public let fit: ClinicFit

    public init(catalogue: Catalogue, fit: ClinicFit) { self.catalogue = catalogue; self.fit = fit }

    /// The factor each exercise's points are scaled by: its modality's slope over the common
    /// one (no lower than 0: a negative slope is no measured benefit), 1 for a modality the
    /// clinic never did.
    public func factor(_ m: Modality) -> Double {
        guard let s = fit.slopes.first(where: { $0.modality == m }), s.ratio.isFinite else { return 1 }
        return max(0, s.ratio)
    }

    /// The catalogue with the tuned points, each as a catalogue takes it (``Tuner/admissible(_:)``):
    /// each exercise's points × its modality's factor, then rescaled per cause so that the
    /// cause's points over the whole catalogue stay the catalogue's. The fit measures how the
    /// modalities compare, not the scale the minimums are set on; without the rescaling a
    /// factor below 1 for the modality most of a cause's points come from (release, for trigger
    /// points) would leave that cause's minimum out of reach, and every plan uncoverable.
    public var tunedCatalogue: Catalogue {
        let causes = catalogue.causes.indices
        let scaled = catalogue.exercises.map { ex in ex.benefits.map { $0 * factor(ex.modality) } }
        let rescale = causes.map { c -> Double in
            let before = catalogue.exercises.reduce(0) { $0 + $1.benefits[c] }, after = scaled.reduce(0) { $0 + $1[c] }
            return after > 0 ? before / after : 1
        }
        let exercises = catalogue.exercises.enumerated().map { k, ex -> Exercise in
            var e = ex
            e.benefits = causes.map { Tuner.admissible(scaled[k][$0] * rescale[$0]) }
            return e
        }
        return Catalogue(causes: catalogue.causes, exercises: exercises, focuses: catalogue.focuses)
    }

    /// The weights file `relief plan --weights` reads: every exercise of a fitted modality, every cause.
    public func weightsFile(header: String) -> String {
        let fitted = Set(fit.slopes.map(\.modality))
        let tuned = tunedCatalogue
        var text = header.split(separator: "\n").map { "# \($0)\n" }.joined() + "exercise_id,cause,points\n"
        for ex in tuned.exercises where fitted.contains(ex.modality) {
            for (c, cause) in catalogue.causes.enumerated() { text += "\(ex.id),\(cause.id),\(formatNumber(ex.benefits[c]))\n" }
        }
        return text
    }

    /// A standard request the report plans with both weights.
    public struct StandardRequest: Sendable {
        public let words: String
        public let request: PlanRequest
    }

    /// 20 and 10 minutes, no equipment, the red-flag screen clear, the catalogue's minimums.
    public static var standardRequests: [StandardRequest] {
        [20.0, 10].map { minutes in
            var r = PlanRequest()
            r.budgetSeconds = minutes * 60
            r.screen = RedFlagScreen.allClear
            r.explain = false
            return StandardRequest(words: "\(Int(minutes)) minutes, no equipment", request: r)
        }
    }

    public struct PlanChange: Sendable, Hashable {
        public let words: String
        public let current: String
        public let tuned: String
        public let comeIn: [String]
        public let goOut: [String]
        public let doseChanges: [String]
    }

    /// Each standard request planned with the current and with the tuned weights.
    public func planChanges() throws -> [PlanChange] {
        let now = Planner(catalogue: catalogue), then = Planner(catalogue: tunedCatalogue)
        func summary(_ p: Plan) -> String {
            "\(p.status.rawValue), \(fixed(p.totalSeconds / 60, 1)) min, \(p.exercises.count) exercise\(p.exercises.count == 1 ? "" : "s")"
        }
        return try Self.standardRequests.map { s in
            let a = try now.plan(s.request), b = try then.plan(s.request)
            let before = Dictionary(a.exercises.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            let after = Dictionary(b.exercises.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            func named(_ e: PlannedExercise) -> String { "\(e.id) (\(e.modality.rawValue), \(formatNumber(e.units)) \(e.unit)\(e.units == 1 ? "" : "s"))" }
            let comeIn = b.exercises.filter { before[$0.id] == nil }.map(named)
            let goOut = a.exercises.filter { after[$0.id] == nil }.map(named)
            let changed = b.exercises.compactMap { e -> String? in
                guard let old = before[e.id], abs(old.units - e.units) > 1e-9 else { return nil }
                return "\(e.id) \(formatNumber(old.units)) → \(formatNumber(e.units)) \(e.unit)s"
            }
            return PlanChange(words: s.words, current: summary(a), tuned: summary(b), comeIn: comeIn, goOut: goOut, doseChanges: changed)
        }
    }

    /// The report, in plain text; `source` names the clinic folder.
    public func report(source: String, changes: [PlanChange]) -> String {
        let f = fit, s = f.summary
        var t = "Tuning from a clinic's outcomes: \(source)\n\n"
        let measures = ClinicLog.measures.compactMap { m in s.byMeasure[m].map { "\(m.name) \($0)" } }.joined(separator: ", ")
        t += "\(s.patients) patients, \(s.patientsWithScores) with a follow-up score (\(s.patients - s.patientsWithScores) without one); \(s.scores) follow-up scores (\(measures)).\n"
        t += "Model: improvement since baseline as a share of the measure's range = a + b·week + slope·(cumulative dose, per 100 catalogue points); fitted by Huber's M-estimator.\n"
        t += "Current weights: one slope for every modality, \(pct(f.commonSlope)) of the range per 100 points"
        t += f.bootstrap > 0 ? " (95 % interval \(pct(f.commonLower)) to \(pct(f.commonUpper)))" : ""
        t += "; natural course \(pct(f.commonPerWeek)) a week.\n"
        t += "Fit: natural course \(pct(f.perWeek)) a week; per modality (bootstrap over patients, \(f.bootstrapFitted) of \(f.bootstrap) resamples, 95 % percentile intervals):\n\n"
        t += "| modality | share of the dose | slope per 100 points | 95 % interval | × the common slope | 95 % interval |\n"
        t += "|---|---:|---:|---:|---:|---:|\n"
        for sl in f.slopes {
            let iv = f.bootstrap > 0 ? "\(pct(sl.lower)) to \(pct(sl.upper))" : "not run"
            let rv = f.bootstrap > 0 ? "\(fixed(sl.ratioLower, 2)) to \(fixed(sl.ratioUpper, 2))" : "not run"
            t += "| \(sl.modality.rawValue) | \(fixed(sl.doseShare * 100, 1)) % | \(pct(sl.estimate)) | \(iv) | \(fixed(sl.ratio, 2)) | \(rv) |\n"
        }
        let missing = Modality.allCases.filter { m in !f.slopes.contains { $0.modality == m } }
        if !missing.isEmpty { t += "\nNot in the clinic's data (kept as they are): \(missing.map(\.rawValue).joined(separator: ", ")).\n" }
        let sure = f.slopes.filter { f.bootstrap > 0 && ($0.ratioLower > 1 || $0.ratioUpper < 1) }
        t += "\nHow sure: "
        if f.bootstrap == 0 {
            t += "no bootstrap was run (--bootstrap 0): no intervals.\n"
        } else if sure.isEmpty {
            t += "no modality's interval excludes the common slope (× 1).\n"
        } else {
            t += "the whole interval of " + sure.map { "\($0.modality.rawValue) is \($0.ratioLower > 1 ? "above" : "below")" }.joined(separator: ", ")
            t += " the common slope (× 1)" + (sure.count < f.slopes.count ? "; the others' intervals include it.\n" : ".\n")
        }
        let cv = f.cv
        t += "\nOut of sample (\(cv.folds)-fold cross-validation by patient): mean absolute error of a follow-up's improvement, current weights \(pct(cv.currentError)) of the range, fitted \(pct(cv.fittedError)).\n"
        t += "Verdict: \(f.verdict).\n"
        t += "\nWhat would change in the plans (each exercise's points × its modality's factor, rescaled per cause so each cause's total stays the catalogue's):\n"
        for c in changes {
            t += "- \(c.words): current \(c.current); tuned \(c.tuned).\n"
            if c.comeIn.isEmpty && c.goOut.isEmpty && c.doseChanges.isEmpty { t += "  the same routine.\n"; continue }
            if !c.comeIn.isEmpty { t += "  in: \(c.comeIn.joined(separator: ", "))\n" }
            if !c.goOut.isEmpty { t += "  out: \(c.goOut.joined(separator: ", "))\n" }
            if !c.doseChanges.isEmpty { t += "  dose: \(c.doseChanges.joined(separator: ", "))\n" }
        }
        t += "\nAn association in one clinic's records, not a trial: patients who did more of a modality may differ in other ways. Not medical advice.\n"
        return t
    }

    /// A share of the range in percent, 2 decimals.
    func pct(_ x: Double) -> String { "\(fixed(x * 100, 2)) %" }
}
