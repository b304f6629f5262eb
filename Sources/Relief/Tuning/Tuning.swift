internal import GLPK

/// A tuning run's failure that is not about the data (GLPK could not solve the fit).
public struct TuningError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Fits per-exercise, per-cause benefit weights to an outcome log.
///
/// For each cause separately, with `u[s][e]` the units of exercise `e` in session `s`, `r[s]`
/// the measured response and `p[e]` the catalogue's (prior) weight, it solves the linear
/// programme
///
///     minimise  Σ_s |r[s] − Σ_e u[s][e]·w[e]|  +  λ · Σ_e |w[e] − p[e]|   subject to w ≥ 0
///
/// least absolute deviations, so a few wild responses cannot drag the fit (unlike least
/// squares), and a pull of strength λ toward the prior, so sparse data cannot wreck the
/// catalogue: moving a weight by one point must remove λ points of absolute error. Each
/// absolute value is split into two non-negative columns; GLPK's simplex solves it.
/// Exercises never seen in the log keep their prior.
public struct Tuner: Sendable {
    public let catalogue: Catalogue
    /// λ: how many points of absolute prediction error one point of change must save.
    public let priorStrength: Double

    public init(catalogue: Catalogue, priorStrength: Double = 2) {
        self.catalogue = catalogue
        self.priorStrength = priorStrength
    }

    /// Tuned weights, exercise × cause (the prior where the log says nothing).
    public func fit(_ sessions: [OutcomeLog.Session]) throws -> [[Double]] {
        var weights = catalogue.exercises.map(\.benefits)
        for c in catalogue.causes.indices {
            let fitted = try fitCause(c, sessions: sessions)
            for (e, w) in fitted { weights[e][c] = w }
        }
        return weights
    }

    /// A fitted weight as a catalogue takes it (``Limits/benefit``: 0, or 0.001 to 1,000), so a
    /// tuned file always loads with `--weights`: a fit below half the smallest weight is no
    /// benefit, one up to the smallest is the smallest, one over the largest is the largest (a
    /// fit that large comes from a log with tiny doses, and the largest weight already makes
    /// the exercise the cheapest source of its cause).
    static func admissible(_ w: Double) -> Double {
        let range = Limits.benefit
        guard w.isFinite, w >= range.lower / 2 else { return 0 }
        return min(range.upper, max(range.lower, w))
    }

    private func fitCause(_ c: Int, sessions: [OutcomeLog.Session]) throws -> [Int: Double] {
        // The LP dual of the fit above: one row per exercise instead of one per session.
        //
        //     maximise Σ_s r[s]·d[s] + Σ_e p[e]·g[e]
        //     subject to Σ_s u[s][e]·d[s] + g[e] ≤ 0  for each exercise e,
        //                −1 ≤ d[s] ≤ 1,  −λ ≤ g[e] ≤ λ.
        //
        // By strong duality its optimum equals the fit's, and the fitted weight w[e] is the
        // dual value of exercise e's row (≥ 0, as a ≤ row of a maximisation). With a row per
        // exercise (about 50) rather than per session (thousands), the simplex basis is tiny.
        let measured = sessions.filter { $0.responses[c] != nil }
        var sessionsOf: [Int: [(Int, Double)]] = [:]
        for (k, s) in measured.enumerated() {
            for (e, u) in s.units { sessionsOf[e, default: []].append((k, u)) }
        }
        let seen = sessionsOf.keys.sorted()
        guard !seen.isEmpty else { return [:] }
        let p = Problem()
        try p.setObjective(.maximize)
        let d = try measured.map { try p.addVariable(lower: -1, upper: 1, objective: $0.responses[c]!) }
        var rows: [Int: Constraint] = [:]
        for e in seen {
            let g = try p.addVariable(lower: -priorStrength, upper: priorStrength, objective: catalogue.exercises[e].benefits[c])
            rows[e] = try p.addConstraint(terms: sessionsOf[e]!.map { (d[$0.0], $0.1) } + [(g, 1)], upper: 0)
        }
        let solution = try p.solve(SolverPolicy.tuningFit)
        guard solution.termination == .optimal, solution.hasDuals else {
            throw TuningError(description: "the fit for \(catalogue.causes[c].id) did not solve: \(solution.termination) (\(solution.glpkStatus))")
        }
        return rows.mapValues { max(0, solution.dual($0) ?? 0) }
    }

    /// Σ_s |r[s] − Σ_e u[s][e]·w[e]| + λ·Σ_e |w[e] − p[e]| for one cause: what the fit minimises.
    public func objective(_ weights: [[Double]], sessions: [OutcomeLog.Session], cause c: Int) -> Double {
        var total = 0.0
        var seen = Set<Int>()
        for s in sessions {
            guard let r = s.responses[c] else { continue }
            total += abs(r - s.units.reduce(0) { $0 + weights[$1.key][c] * $1.value })
            seen.formUnion(s.units.keys)
        }
        for e in seen { total += priorStrength * abs(weights[e][c] - catalogue.exercises[e].benefits[c]) }
        return total
    }

    /// Predicted response of each cause for a session under `weights`.
    public func predict(_ session: OutcomeLog.Session, weights: [[Double]]) -> [Double] {
        catalogue.causes.indices.map { c in session.units.reduce(0) { $0 + weights[$1.key][c] * $1.value } }
    }

    /// k-fold cross-validated mean absolute prediction error, per cause, of the prior weights
    /// and of weights tuned on the other folds. Session i is in fold i mod k.
    public func crossValidate(_ log: OutcomeLog, folds k: Int,
                              progress: (Int, Int) -> Void = { _, _ in }) throws -> [CauseError] {
        let prior = catalogue.exercises.map(\.benefits)
        var priorError = [Double](repeating: 0, count: catalogue.causes.count)
        var tunedError = priorError
        var count = [Int](repeating: 0, count: catalogue.causes.count)
        for fold in 0..<k {
            let train = log.sessions.enumerated().filter { $0.offset % k != fold }.map(\.element)
            let test = log.sessions.enumerated().filter { $0.offset % k == fold }.map(\.element)
            let tuned = try fit(train)
            for s in test {
                let byPrior = predict(s, weights: prior), byTuned = predict(s, weights: tuned)
                for (c, r) in s.responses {
                    priorError[c] += abs(byPrior[c] - r)
                    tunedError[c] += abs(byTuned[c] - r)
                    count[c] += 1
                }
            }
            progress(fold + 1, k)
        }
        return catalogue.causes.enumerated().map { c, cause in
            CauseError(cause: cause.id, name: cause.name, responses: count[c],
                       priorError: count[c] > 0 ? priorError[c] / Double(count[c]) : 0,
                       tunedError: count[c] > 0 ? tunedError[c] / Double(count[c]) : 0)
        }
    }

    /// The weights file `relief plan --weights` reads: every weight of every exercise the
    /// log saw, in catalogue order.
    public func weightsFile(_ weights: [[Double]], log: OutcomeLog, header: String) -> String {
        let seen = Set(log.sessions.flatMap { $0.units.keys })
        var text = header.split(separator: "\n").map { "# \($0)\n" }.joined() + "exercise_id,cause,points\n"
        for (e, ex) in catalogue.exercises.enumerated() where seen.contains(e) {
            for (c, cause) in catalogue.causes.enumerated() {
                // Written as a catalogue takes it, so the file always loads with --weights.
                text += "\(ex.id),\(cause.id),\(formatNumber(Self.admissible(weights[e][c])))\n"
            }
        }
        return text
    }

    /// The weights that moved most from the prior.
    public func largestChanges(_ weights: [[Double]], limit: Int = 10) -> [WeightChange] {
        var changes: [WeightChange] = []
        for (e, ex) in catalogue.exercises.enumerated() {
            for (c, cause) in catalogue.causes.enumerated() where abs(weights[e][c] - ex.benefits[c]) > 1e-9 {
                changes.append(WeightChange(exercise: ex.id, cause: cause.id, prior: ex.benefits[c], tuned: weights[e][c]))
            }
        }
        return Array(changes.sorted { (abs($0.tuned - $0.prior), $1.exercise, $1.cause) > (abs($1.tuned - $1.prior), $0.exercise, $0.cause) }.prefix(limit))
    }
}

/// Cross-validated error for one cause.
public struct CauseError: Sendable, Hashable {
    public let cause: String
    public let name: String
    public let responses: Int
    public let priorError: Double
    public let tunedError: Double
}

public struct WeightChange: Sendable, Hashable {
    public let exercise: String
    public let cause: String
    public let prior: Double
    public let tuned: Double
}
