import Foundation

/// The dose-response a clinic's outcomes measure, per modality (README, "A clinic's outcomes").
///
/// One row per follow-up score: the improvement since baseline as a share of the measure's
/// range (so RMDQ, ODI and NPRS pool), `y = (baseline − score) / range`, modelled as
///
///     y = a + b · week + Σ_m s_m · D_m
///
/// where `D_m` is the patient's cumulative dose of modality `m` up to and including that week,
/// in hundreds of catalogue points (Σ units × the exercise's points per unit summed over the
/// causes), and `b` the natural course (back pain improves with time whatever is done, so a
/// model without it would credit every dose with the weeks' recovery). The catalogue's
/// current weights say a point is a point whatever its modality: one common slope `s`
/// (`y = a + b · week + s · Σ_m D_m`). The fit gives a slope per modality.
///
/// Both are fitted by Huber's M-estimator (threshold 1.345 robust standard deviations from the
/// median absolute residual of the least-squares start; ``huber(_:p:y:rows:from:iterations:)``):
/// as robust to a few wild scores as least absolute deviations for large errors, but each step
/// is a 7 × 7 linear solve over sums, so 10,000 patients with 5 folds and 200 bootstrap refits
/// take about 1.6 s (benchmarks/README.md); an LP with a row per score, 402 times, would not.
public struct ClinicFit: Sendable {
    public struct Slope: Sendable, Hashable {
        public let modality: Modality
        /// Improvement (share of the range) per 100 catalogue points of this modality.
        public let estimate: Double
        /// The bootstrap's 95 % percentile interval and standard error of `estimate`.
        public let lower: Double, upper: Double, standardError: Double
        /// `estimate / common slope`, and its bootstrap interval: what a catalogue point of this
        /// modality is worth against the current weights' one.
        public let ratio: Double, ratioLower: Double, ratioUpper: Double
        /// Share of all the clinic's dose (points) that was this modality.
        public let doseShare: Double
    }
    public struct CrossValidation: Sendable, Hashable {
        public let folds: Int
        /// Mean absolute error of a held-out follow-up's improvement, as a share of the range.
        public let currentError: Double
        public let fittedError: Double
        /// `currentError − fittedError`, and its standard error over patients (the paired
        /// differences summed per patient, as a ratio estimator: folds by patient keep a
        /// patient's follow-ups together, and so does this).
        public let improvement: Double
        public let improvementSE: Double
    }
    public struct Summary: Sendable, Hashable {
        public let patients: Int
        public let patientsWithScores: Int
        public let scores: Int
        public let byMeasure: [OutcomeMeasure: Int]
    }

    public let summary: Summary
    /// The fitted model: intercept, natural course per week and one slope per modality.
    public let intercept: Double
    public let perWeek: Double
    public let slopes: [Slope]
    /// The current weights' model: intercept, per week, and the common slope with its interval.
    public let commonIntercept: Double
    public let commonPerWeek: Double
    public let commonSlope: Double
    public let commonLower: Double, commonUpper: Double
    public let bootstrap: Int
    /// Resamples that could fit every slope (the intervals are over these).
    public let bootstrapFitted: Int
    public let cv: CrossValidation
    /// Whether the fit may be applied, and why (or why not).
    public let applies: Bool
    public let verdict: String

    /// How much better out of sample the fit must predict to be applied: by at least this
    /// share of the current weights' error, and by more than two standard errors.
    public static let margin = 0.01
    /// The Huber threshold in robust standard deviations (95 % efficiency under normal errors).
    static let huberK = 1.345
    /// `--bootstrap`: 0 skips it (no intervals), else 10 to 100,000 replicates.
    public static let bootstrapRange = NumberRange(10, 100_000, zeroAllowed: true, whole: true)

    /// The clinic as rows of the model.
    public struct Design: Sendable {
        public let modalities: [Modality]
        /// Per patient with scores, its rows.
        public let patientRows: [Range<Int>]
        public let y: [Double]
        public let week: [Double]
        /// Row-major, `modalities.count` columns, in hundreds of catalogue points.
        public let dose: [Double]
        public let summary: Summary
        public let totalDose: [Double]

        public init(clinic: ClinicLog, catalogue: Catalogue) {
            let points = catalogue.exercises.map { $0.benefits.reduce(0, +) / 100 }
            var used = Set<Modality>()
            for p in clinic.patients where !p.scores.isEmpty {
                for units in p.done.values { for (e, u) in units where u > 0 && points[e] > 0 { used.insert(catalogue.exercises[e].modality) } }
            }
            let modalities = Modality.allCases.filter(used.contains)
            let column = Dictionary(uniqueKeysWithValues: modalities.enumerated().map { ($1, $0) })
            let m = modalities.count
            var y: [Double] = [], week: [Double] = [], dose: [Double] = [], rows: [Range<Int>] = []
            var total = [Double](repeating: 0, count: m)
            var byMeasure: [OutcomeMeasure: Int] = [:]
            for p in clinic.patients where !p.scores.isEmpty {
                let range = ClinicLog.range(p.measure)!
                let start = y.count
                let weeks = p.done.keys.sorted()
                for (w, score) in p.scores.sorted(by: { $0.key < $1.key }) {
                    var cumulative = [Double](repeating: 0, count: m)
                    for dw in weeks where dw <= w {
                        for (e, u) in p.done[dw]! { if let c = column[catalogue.exercises[e].modality] { cumulative[c] += u * points[e] } }
                    }
                    y.append((p.baseline - score) / range)
                    week.append(Double(w))
                    dose += cumulative
                }
                for units in p.done.values { for (e, u) in units { if let c = column[catalogue.exercises[e].modality] { total[c] += u * points[e] } } }
                rows.append(start..<y.count)
                byMeasure[p.measure, default: 0] += p.scores.count
            }
            self.modalities = modalities
            self.patientRows = rows
            self.y = y; self.week = week; self.dose = dose; self.totalDose = total
            summary = Summary(patients: clinic.patients.count, patientsWithScores: rows.count, scores: y.count, byMeasure: byMeasure)
        }

        /// The fitted model's columns (1, week, D_1 … D_m), row-major.
        func fullMatrix() -> (x: [Double], p: Int) {
            let m = modalities.count, p = m + 2
            var x = [Double](repeating: 0, count: y.count * p)
            for i in y.indices {
                x[i * p] = 1; x[i * p + 1] = week[i]
                for c in 0..<m { x[i * p + 2 + c] = dose[i * m + c] }
            }
            return (x, p)
        }

        /// The current weights' columns (1, week, Σ_m D_m).
        func commonMatrix() -> (x: [Double], p: Int) {
            let m = modalities.count
            var x = [Double](repeating: 0, count: y.count * 3)
            for i in y.indices {
                x[i * 3] = 1; x[i * 3 + 1] = week[i]
                var s = 0.0
                for c in 0..<m { s += dose[i * m + c] }
                x[i * 3 + 2] = s
            }
            return (x, 3)
        }
    }

    /// Fits, cross-validates (`folds` by patient, patients shuffled by `seed`) and bootstraps
    /// (`bootstrap` resamples of patients, seeded): the same clinic and seed give the same fit.
    public static func fit(_ design: Design, folds: Int = 5, bootstrap: Int = 200, seed: UInt64 = 1,
                           file: String = "scores.csv", progress: (String) -> Void = { _ in }) throws -> ClinicFit {
        let m = design.modalities.count
        let patients = design.patientRows.count
        guard m > 0 else {
            throw DataErrors([DataIssue(file: file, "no follow-up score comes after any exercise with catalogue points: there is no dose to fit")])
        }
        guard patients >= max(folds, 2), design.y.count >= 2 * (m + 2) else {
            throw DataErrors([DataIssue(file: file, "\(design.y.count) follow-up score\(design.y.count == 1 ? "" : "s") from \(patients) patient\(patients == 1 ? "" : "s"): the fit of \(m + 2) numbers needs at least \(2 * (m + 2)) scores from at least \(max(folds, 2)) patients")])
        }
        let full = design.fullMatrix(), common = design.commonMatrix()
        let allRows = Array(design.y.indices)
        guard let fullFit = huber(full.x, p: full.p, y: design.y, rows: allRows),
              let commonFit = huber(common.x, p: common.p, y: design.y, rows: allRows) else {
            throw DataErrors([DataIssue(file: file, "the doses of the modalities move together in every patient (or one is never done with a score after it), so their slopes cannot be told apart")])
        }

        let beta = fullFit.beta, gamma = commonFit.beta
        // Cross-validation by patient.
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<patients)
        for k in stride(from: patients - 1, to: 0, by: -1) { order.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
        var fold = [Int](repeating: 0, count: patients)
        for (position, patient) in order.enumerated() { fold[patient] = position % folds }
        var perPatient = [Double](repeating: 0, count: patients)
        var currentSum = 0.0, fittedSum = 0.0
        for f in 0..<folds {
            progress("cross-validation: fold \(f + 1) of \(folds)")
            let train = (0..<patients).filter { fold[$0] != f }.flatMap { design.patientRows[$0] }
            guard let b = huber(full.x, p: full.p, y: design.y, rows: train)?.beta,
                  let g = huber(common.x, p: common.p, y: design.y, rows: train)?.beta else {
                throw DataErrors([DataIssue(file: file, "cross-validation fold \(f + 1) of \(folds): without its patients some modality is never done before a score, so its slope cannot be fitted; use fewer folds (--folds) or more patients")])
            }
            for patient in 0..<patients where fold[patient] == f {
                for i in design.patientRows[patient] {
                    let ec = abs(design.y[i] - predict(common.x, p: common.p, row: i, g))
                    let ef = abs(design.y[i] - predict(full.x, p: full.p, row: i, b))
                    currentSum += ec; fittedSum += ef
                    perPatient[patient] += ec - ef
                }
            }
        }
        let n = Double(design.y.count)
        let improvement = (currentSum - fittedSum) / n
        var spread = 0.0
        for (patient, rows) in design.patientRows.enumerated() {
            let d = perPatient[patient] - Double(rows.count) * improvement
            spread += d * d
        }
        let se = (Double(patients) / Double(patients - 1) * spread).squareRoot() / n
        let cv = CrossValidation(folds: folds, currentError: currentSum / n, fittedError: fittedSum / n,
                                 improvement: improvement, improvementSE: se)

        // Bootstrap over patients.
        var slopeDraws = [[Double]](repeating: [], count: m), ratioDraws = slopeDraws, commonDraws: [Double] = []
        var brng = SplitMix64(seed: seed ^ 0xB007_5742)
        for r in 0..<bootstrap {
            if r % 50 == 0 { progress("bootstrap: \(r) of \(bootstrap)") }
            var rows: [Int] = []
            rows.reserveCapacity(design.y.count)
            for _ in 0..<patients { rows += design.patientRows[Int(brng.next() % UInt64(patients))] }
            // A resample in which some modality is never done cannot fit its slope: it is left out,
            // and the intervals are over the resamples that fitted (`bootstrapFitted`).
            guard let b = huber(full.x, p: full.p, y: design.y, rows: rows, from: fullFit)?.beta,
                  let g = huber(common.x, p: common.p, y: design.y, rows: rows, from: commonFit)?.beta else { continue }
            commonDraws.append(g[2])
            for c in 0..<m {
                slopeDraws[c].append(b[2 + c])
                ratioDraws[c].append(g[2] != 0 ? b[2 + c] / g[2] : .nan)
            }
        }
        let total = design.totalDose.reduce(0, +)
        let s = gamma[2]
        let slopes = design.modalities.enumerated().map { c, modality -> Slope in
            let est = beta[2 + c]
            let (lo, hi, sd) = interval(slopeDraws[c])
            let (rlo, rhi, _) = interval(ratioDraws[c].filter(\.isFinite))
            return Slope(modality: modality, estimate: est, lower: lo, upper: hi, standardError: sd,
                         ratio: s != 0 ? est / s : .nan, ratioLower: rlo, ratioUpper: rhi,
                         doseShare: total > 0 ? design.totalDose[c] / total : 0)
        }
        let (clo, chi, _) = interval(commonDraws)

        let applies: Bool, verdict: String
        let pct = cv.currentError > 0 ? improvement / cv.currentError * 100 : 0
        let by = "\(fixed(improvement * 100, 3)) % of the range (\(fixed(pct, 1)) %; standard error \(fixed(se * 100, 3)))"
        if s <= 0 {
            applies = false
            verdict = "the current weights' common slope is not positive (\(fixed(s * 100, 2)) % of the range per 100 points): in these data dose does not predict improvement, so there is nothing to scale: not applied"
        } else if improvement <= 0 {
            applies = false
            verdict = "it does not beat the current weights out of sample (worse by \(fixed(-improvement * 100, 3)) % of the range): not applied"
        } else if pct < margin * 100 || improvement <= 2 * se {
            applies = false
            verdict = "it does not beat the current weights out of sample by enough: better by \(by), less than \(fixed(margin * 100, 0)) % of the current error or two standard errors: not applied"
        } else {
            applies = true
            verdict = "the fit predicts better out of sample by \(by): it may be applied"
        }
        return ClinicFit(summary: design.summary, intercept: beta[0], perWeek: beta[1], slopes: slopes,
                         commonIntercept: gamma[0], commonPerWeek: gamma[1], commonSlope: s, commonLower: clo, commonUpper: chi,
                         bootstrap: bootstrap, bootstrapFitted: commonDraws.count, cv: cv, applies: applies, verdict: verdict)
    }

    /// The 2.5 % and 97.5 % percentiles (linear between order statistics) and the standard
    /// deviation of bootstrap draws; NaN when there are none.
    static func interval(_ draws: [Double]) -> (Double, Double, Double) {
        guard draws.count >= 2 else { return (.nan, .nan, .nan) }
        let s = draws.sorted()
        func q(_ p: Double) -> Double {
            let h = p * Double(s.count - 1), k = Int(h)
            return k + 1 < s.count ? s[k] + (h - Double(k)) * (s[k + 1] - s[k]) : s[k]
        }
        let mean = s.reduce(0, +) / Double(s.count)
        let sd = (s.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(s.count - 1)).squareRoot()
        return (q(0.025), q(0.975), sd)
    }

    static func predict(_ x: [Double], p: Int, row i: Int, _ beta: [Double]) -> Double {
        var s = 0.0
        for j in 0..<p { s += x[i * p + j] * beta[j] }
        return s
    }

    /// A Huber fit: the coefficients and the residual threshold it used.
    struct HuberFit { let beta: [Double]; let threshold: Double }

    /// Huber's M-estimate of `y ~ x` over `rows` (repeats count twice), from the least-squares
    /// fit; the threshold is 1.345 × the least-squares residuals' median absolute value / 0.6745,
    /// fixed for the steps. A bootstrap resample
    /// starts from the whole clinic's fit and keeps its threshold (the resample's own would differ
    /// only by its noise, and the start saves most iterations). Nil when the columns are dependent.
    static func huber(_ x: [Double], p: Int, y: [Double], rows: [Int], from start: HuberFit? = nil, iterations: Int = 50) -> HuberFit? {
        var weights = [Double](repeating: 1, count: rows.count)
        var beta: [Double]
        if let start { beta = start.beta } else {
            guard let ols = weightedLeastSquares(x, p: p, y: y, rows: rows, weights: weights) else { return nil }
            beta = ols
        }
        var residuals = absoluteResiduals(x, p: p, y: y, rows: rows, beta)
        let threshold: Double
        if let start { threshold = start.threshold } else {
            let sorted = residuals.sorted()
            let mad = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            threshold = huberK * mad / 0.6745
        }
        guard threshold > 0 else {
            return start == nil ? HuberFit(beta: beta, threshold: 0) : weightedLeastSquares(x, p: p, y: y, rows: rows, weights: weights).map { HuberFit(beta: $0, threshold: 0) }
        }
        // Huber's objective is piecewise quadratic: with the rows inside the threshold fixed, its
        // estimating equations Σ ψ(rᵢ)·xᵢ = 0 are linear (ψ(r) = r inside, ±threshold outside), and
        // a Newton step solves them. From a start near the answer (least squares, or the whole
        // clinic's fit for a bootstrap resample) a few steps settle the set of rows inside. A step
        // is kept only when it does not raise the objective; if the steps stall before the set
        // settles, reweighting (convergent, but only linearly) moves on and Newton finishes.
        func objective(_ r: [Double]) -> Double {
            r.reduce(0) { $0 + ($1 <= threshold ? $1 * $1 / 2 : threshold * $1 - threshold * threshold / 2) }
        }
        func newton(_ beta: inout [Double], _ residuals: inout [Double]) -> Bool {
            var best = objective(residuals)
            for _ in 0..<20 {
                var extra = [Double](repeating: 0, count: p)
                var inside = [Double](repeating: 1, count: rows.count)
                x.withUnsafeBufferPointer { xs in
                    for (k, i) in rows.enumerated() where residuals[k] > threshold {
                        inside[k] = 0
                        var s = 0.0
                        for j in 0..<p { s += xs[i * p + j] * beta[j] }
                        let sign = y[i] - s < 0 ? -threshold : threshold
                        for j in 0..<p { extra[j] += sign * xs[i * p + j] }
                    }
                }
                guard let next = weightedLeastSquares(x, p: p, y: y, rows: rows, weights: inside, extra: extra) else { return false }
                let r = absoluteResiduals(x, p: p, y: y, rows: rows, next)
                let value = objective(r)
                guard value <= best else { return false }
                let settled = zip(r, residuals).allSatisfy { ($0 <= threshold) == ($1 <= threshold) }
                beta = next; residuals = r; best = value
                if settled { return true }
            }
            return false
        }
        if newton(&beta, &residuals) { return HuberFit(beta: beta, threshold: threshold) }
        for _ in 0..<iterations {
            for k in rows.indices { weights[k] = residuals[k] <= threshold ? 1 : threshold / residuals[k] }
            guard let next = weightedLeastSquares(x, p: p, y: y, rows: rows, weights: weights) else { return nil }
            let change = zip(next, beta).map { abs($0 - $1) }.max() ?? 0
            let size = next.map(abs).max() ?? 0
            beta = next
            residuals = absoluteResiduals(x, p: p, y: y, rows: rows, beta)
            if change <= 1e-9 * (1 + size) { break }
        }
        _ = newton(&beta, &residuals)
        return HuberFit(beta: beta, threshold: threshold)
    }

    static func absoluteResiduals(_ x: [Double], p: Int, y: [Double], rows: [Int], _ beta: [Double]) -> [Double] {
        x.withUnsafeBufferPointer { xs in
            beta.withUnsafeBufferPointer { b in
                rows.map { i in
                    var s = 0.0
                    for j in 0..<p { s += xs[i * p + j] * b[j] }
                    return abs(y[i] - s)
                }
            }
        }
    }

    /// Solves Σ w·x·xᵀ β = Σ w·x·y (+ `extra`) by Cholesky; nil when the matrix is not positive definite
    /// (a column is all zero or a combination of the others, to 1e-10 of its diagonal).
    static func weightedLeastSquares(_ x: [Double], p: Int, y: [Double], rows: [Int], weights: [Double], extra: [Double]? = nil) -> [Double]? {
        var a = [Double](repeating: 0, count: p * p), b = extra ?? [Double](repeating: 0, count: p)
        // Unsafe buffers: this loop is the whole cost of a fit, and bounds checks double it.
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                weights.withUnsafeBufferPointer { ws in
                    rows.withUnsafeBufferPointer { rs in
                        a.withUnsafeMutableBufferPointer { am in
                            b.withUnsafeMutableBufferPointer { bm in
                                for k in 0..<rs.count {
                                    let i = rs[k], w = ws[k], base = i * p
                                    for r in 0..<p {
                                        let wr = w * xs[base + r]
                                        if wr == 0 { continue }
                                        bm[r] += wr * ys[i]
                                        for c in r..<p { am[r * p + c] += wr * xs[base + c] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let diagonal = (0..<p).map { a[$0 * p + $0] }
        // Cholesky, upper triangle: a = Lᵀ L stored in place.
        var l = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var d = a[j * p + j]
            for k in 0..<j { d -= l[j * p + k] * l[j * p + k] }
            guard d > 1e-10 * max(diagonal[j], 1e-300) else { return nil }
            let root = d.squareRoot()
            l[j * p + j] = root
            for i in (j + 1)..<max(j + 1, p) {
                var s = a[j * p + i]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = s / root
            }
        }
        var z = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var s = b[i]
            for k in 0..<i { s -= l[i * p + k] * z[k] }
            z[i] = s / l[i * p + i]
        }
        var beta = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<max(i + 1, p) { s -= l[k * p + i] * beta[k] }
            beta[i] = s / l[i * p + i]
        }
        return beta
    }
}

/// `x` with `digits` decimals, never "-0".
func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "n/a" }
    let s = String(format: "%.\(digits)f", x)
    return Double(s) == 0 ? String(format: "%.\(digits)f", 0.0) : s
}
