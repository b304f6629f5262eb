import GLPK

/// The mixed-integer programme for one request:
///
/// - `x[e]` units of each usable exercise (integer when `whole`), `y[e]` ∈ {0, 1} whether it
///   is used at all, linked by `x[e] ≤ U[e]·y[e]`;
/// - minimise Σ seconds_per_unit·x + Σ setup_seconds·y;
/// - coverage of every cause ≥ its minimum; total time ≤ the budget; at most K exercises.
///
/// The blend rule (no exercise gives more than `maxShare` of any cause's minimum) is a bound
/// on each `x[e]`, `U[e] = min(max_units, min over causes of share·minimum/benefit)`,
/// rounded down for whole units, rather than a row per exercise and cause: the same
/// feasible set with fewer rows.
///
/// In `maxMin` mode (a budget too short for every minimum) a variable `z ∈ [0, 1]` replaces
/// the minimums: coverage_c ≥ z·minimum_c, and the objective maximises z.
final class RoutineModel {
    enum Mode { case minimiseTime, maxMin }

    let problem = Problem()
    let catalogue: Catalogue
    let usable: [Int]                  // catalogue indices
    let upper: [Double]                // U[e], per usable exercise
    let limitedBy: [Int?]              // the cause whose blend share sets U[e]; nil: max_units
    let minimums: [Double]
    var x: [Variable] = []
    var y: [Variable] = []
    var coverageRows: [Constraint] = []
    var timeRow: Constraint!
    var cardinalityRow: Constraint?
    var z: Variable?
    let maxExercises: Int?

    init(catalogue: Catalogue, usable: [Int], minimums: [Double], request: PlanRequest, mode: Mode) throws {
        self.catalogue = catalogue
        self.minimums = minimums
        self.maxExercises = request.maxExercises
        var usableKept: [Int] = [], upper: [Double] = [], limitedBy: [Int?] = []
        for e in usable {
            let (u, cause) = Self.upperBound(catalogue.exercises[e], minimums: minimums, share: request.maxShare)
            guard u > 0 else { continue }
            usableKept.append(e); upper.append(u); limitedBy.append(cause)
        }
        self.usable = usableKept
        self.upper = upper
        self.limitedBy = limitedBy

        try problem.setName("relief_routine")
        var timeTerms: [(Variable, Double)] = []
        for (k, e) in usableKept.enumerated() {
            let ex = catalogue.exercises[e]
            let name = ex.id.replacingOccurrences(of: "-", with: "_")
            let xe = try problem.addVariable(name: "x_\(name)", kind: ex.whole ? .integer : .continuous,
                                             lower: 0, upper: upper[k], objective: ex.secondsPerUnit)
            let ye = try problem.addVariable(name: "y_\(name)", kind: .binary, objective: ex.setupSeconds)
            try problem.addConstraint(name: "link_\(name)", terms: [(xe, 1), (ye, -upper[k])], upper: 0)
            x.append(xe); y.append(ye)
            timeTerms += [(xe, ex.secondsPerUnit), (ye, ex.setupSeconds)]
        }
        if mode == .maxMin {
            z = try problem.addVariable(name: "z_min_fraction", lower: 0, upper: 1)
        }
        for (c, cause) in catalogue.causes.enumerated() {
            var terms: [(Variable, Double)] = []
            for (k, e) in usableKept.enumerated() where catalogue.exercises[e].benefits[c] > 0 {
                terms.append((x[k], catalogue.exercises[e].benefits[c]))
            }
            if let z {
                terms.append((z, -minimums[c]))
                coverageRows.append(try problem.addConstraint(name: "cover_\(cause.id)", terms: terms, lower: 0))
            } else {
                coverageRows.append(try problem.addConstraint(name: "cover_\(cause.id)", terms: terms, lower: minimums[c]))
            }
        }
        timeRow = try problem.addConstraint(name: "budget_seconds", terms: timeTerms, upper: request.budgetSeconds)
        if let k = request.maxExercises {
            cardinalityRow = try problem.addConstraint(name: "max_exercises", terms: y.map { ($0, 1) }, upper: Double(k))
        }
        if let z {
            try problem.setObjective(.maximize)
            for v in x + y { try problem.setObjectiveCoefficient(v, 0) }
            try problem.setObjectiveCoefficient(z, 1)
        }
    }

    /// `U[e]` and the cause whose blend share sets it (nil when `max_units` does).
    static func upperBound(_ ex: Exercise, minimums: [Double], share: Double) -> (Double, Int?) {
        var u = ex.maxUnits
        var by: Int?
        for (c, b) in ex.benefits.enumerated() where b > 0 && minimums[c] > 0 {
            let cap = share * minimums[c] / b
            if cap < u { u = cap; by = c }
        }
        if ex.whole { u = (u + 1e-9).rounded(.down) }
        return (u, by)
    }

    /// Time of a point, from the catalogue (not from GLPK's objective).
    func seconds(_ values: [Double]) -> Double {
        var total = 0.0
        for (k, e) in usable.enumerated() {
            let ex = catalogue.exercises[e]
            total += ex.secondsPerUnit * values[x[k].index] + ex.setupSeconds * values[y[k].index]
        }
        return total
    }

    /// Makes the objective total time again (after a max-min or tie-break stage).
    func setTimeObjective() throws {
        try problem.setObjective(.minimize)
        for (k, e) in usable.enumerated() {
            try problem.setObjectiveCoefficient(x[k], catalogue.exercises[e].secondsPerUnit)
            try problem.setObjectiveCoefficient(y[k], catalogue.exercises[e].setupSeconds)
        }
        if let z { try problem.setObjectiveCoefficient(z, 0) }
    }

    /// Among points within `tolerance` of the time `seconds`, the objective becomes the most
    /// total coverage: the tie-break that makes the chosen routine depend on the model only.
    func setCoverageTieBreak(maxSeconds: Double) throws {
        let (_, budget) = try problem.bounds(of: timeRow)
        let cap = min(budget ?? .infinity, maxSeconds + 1e-6 * max(1, maxSeconds))
        try problem.setBounds(timeRow, lower: nil, upper: cap)
        try problem.setObjective(.maximize)
        for (k, e) in usable.enumerated() {
            try problem.setObjectiveCoefficient(x[k], catalogue.exercises[e].benefits.reduce(0, +))
            try problem.setObjectiveCoefficient(y[k], 0)
        }
    }
}
