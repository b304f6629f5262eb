import GLPK

/// The mixed-integer programme behind a routine, built once per catalogue and re-configured
/// for each request by changing bounds, a few coefficients and right-hand sides:
///
/// - `x[e]` units of each exercise (integer when `whole`), `y[e]` ∈ {0, 1} whether it is used
///   at all, linked by `x[e] ≤ U[e]·y[e]`;
/// - minimise Σ seconds_per_unit·x + Σ setup_seconds·y;
/// - coverage of every cause ≥ its minimum; total time ≤ the budget; at most K exercises.
///
/// The blend rule (no exercise gives more than `maxShare` of any cause's minimum) is the bound
/// `U[e] = min(max_units, min over causes of share·minimum/benefit)`, rounded down for whole
/// units, rather than a row per exercise and cause: the same feasible set with fewer rows.
/// Excluded exercises, and those the blend caps at zero, are fixed at 0.
///
/// In `maxMin` mode (a budget too short for every minimum) a variable `z ∈ [0, 1]` replaces
/// the minimums: coverage_c − minimum_c·z ≥ 0, and the objective maximises z.
///
/// Before every solve the basis is reset to the standard one, so a re-configured model gives
/// exactly what a newly built one would: batch plans equal single plans byte for byte.
final class RoutineModel {
    enum Mode { case minimiseTime, maxMin }

    let problem = Problem()
    let catalogue: Catalogue
    let mode: Mode
    let x: [Variable]
    let y: [Variable]
    let links: [Constraint]
    let coverageRows: [Constraint]
    let timeRow: Constraint
    let cardinalityRow: Constraint
    /// `x[e] − min_units·y[e] ≥ 0` for exercises with a minimum dose (semi-continuous units).
    let minimumDoseRows: [Int: Constraint]
    /// Σ strengthening time − share × Σ time ≥ 0 (free when the share is 0).
    let strengthRow: Constraint
    let z: Variable?
    /// The exercise decisions (x, y, links, least doses), shared in shape with the week model.
    let block: ExerciseBlock

    // The request currently configured.
    private(set) var usable: [Int] = []          // catalogue indices with U > 0, in catalogue order
    private(set) var upper: [Double] = []        // U per exercise (0 when unusable)
    private(set) var limitedBy: [Int?] = []      // the cause whose blend share sets U; nil: max_units
    private(set) var minimums: [Double] = []
    private(set) var maxExercises: Int?
    private(set) var strengthShare: Double = 0

    init(catalogue: Catalogue, mode: Mode) throws {
        self.catalogue = catalogue
        self.mode = mode
        try problem.setName(mode == .maxMin ? "relief_best_within_budget" : "relief_routine")
        let block = try ExerciseBlock(problem: problem, catalogue: catalogue, members: Array(catalogue.exercises.indices))
        self.block = block
        let x = block.x
        let timeTerms = block.timeTerms(catalogue)
        z = mode == .maxMin ? try problem.addVariable(name: "z_min_fraction", lower: 0, upper: 1) : nil
        var rows: [Constraint] = []
        for (c, cause) in catalogue.causes.enumerated() {
            rows.append(try problem.addConstraint(name: "cover_\(cause.id)", terms: block.coverageTerms(catalogue, cause: c), lower: 0))
        }
        self.x = x; y = block.y; links = block.links; coverageRows = rows
        timeRow = try problem.addConstraint(name: "budget_seconds", terms: timeTerms)
        cardinalityRow = try problem.addConstraint(name: "max_exercises", terms: block.y.map { ($0, 1) })
        minimumDoseRows = block.doseRows
        strengthRow = try problem.addConstraint(name: "strength_share", terms: [])
    }

    /// Sets the model up for a request: which exercises may be used (`usable`, catalogue
    /// indices), the minimums, the budget (nil: none) and the cap on exercises.
    func configure(usable candidates: [Int], minimums: [Double], budget: Double?, request: PlanRequest) throws {
        self.minimums = minimums
        maxExercises = request.maxExercises
        strengthShare = request.strengthShare
        let allowed = Set(candidates)
        var usable: [Int] = [], upper: [Double] = [], limitedBy: [Int?] = []
        for (e, ex) in catalogue.exercises.enumerated() {
            var (u, cause) = Self.upperBound(ex, minimums: minimums, share: request.maxShare)
            // Not allowed, or capped below its least dose: unusable.
            if !allowed.contains(e) || u < ex.minUnits - 1e-9 { u = 0; cause = nil }
            upper.append(u); limitedBy.append(cause)
            if u > 0 { usable.append(e) }
            // An included exercise is used: its flag fixed at 1 and at least one set (or its
            // least dose, or whatever its cap allows).
            let include = u > 0 && request.included.contains(ex.id)
            try block.setRange(e, least: include ? Self.leastIncluded(ex, upper: u) : 0, upper: u, mustUse: include)
        }
        self.usable = usable; self.upper = upper; self.limitedBy = limitedBy
        for (c, row) in coverageRows.enumerated() {
            if let z {
                var terms = try problem.terms(of: row).filter { $0.0 != z }
                terms.append((z, -minimums[c]))
                try problem.setTerms(row, terms)
                try problem.setBounds(row, lower: 0, upper: nil)
            } else {
                try problem.setBounds(row, lower: minimums[c], upper: nil)
            }
        }
        try problem.setBounds(timeRow, lower: nil, upper: budget)
        // At least `strengthShare` of the session's time on strengthening itself (getting into
        // position does not count, so a used flag without sets cannot meet it):
        // Σ_strengthen seconds·x − share·Σ_e (seconds·x + setup·y) ≥ 0.
        let share = request.strengthShare
        if share > 0 {
            var terms: [(Variable, Double)] = []
            for e in usable {
                let ex = catalogue.exercises[e]
                let weight = (ex.modality == .strengthen ? 1 : 0) - share
                terms.append((x[e], weight * ex.secondsPerUnit))
                if ex.setupSeconds > 0 { terms.append((y[e], -share * ex.setupSeconds)) }
            }
            try problem.setTerms(strengthRow, terms)
            try problem.setBounds(strengthRow, lower: 0, upper: nil)
        } else {
            try problem.setTerms(strengthRow, [])
            try problem.setBounds(strengthRow, lower: nil, upper: nil)
        }
        try problem.setBounds(cardinalityRow, lower: nil, upper: request.maxExercises.map(Double.init))
        if let z { try problem.setBounds(z, lower: 0, upper: 1) }
        try setTimeObjective()
    }

    /// The least amount of an exercise a request includes by name: one set (or its least
    /// dose), or whatever its cap allows.
    static func leastIncluded(_ ex: Exercise, upper u: Double) -> Double {
        min(u, max(ex.minUnits, ex.whole ? 1 : min(1, u)))
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

    /// Solves from the standard basis, so the answer never depends on earlier solves.
    func solve(_ options: SolveOptions) throws -> Solution {
        problem.resetBasis()
        return try problem.solve(options)
    }

    /// Amounts below this many units are no amount: a continuous exercise at 1e-7 minutes is
    /// not in the routine (README, "Numbers and their ranges").
    static let amountThreshold = 1e-6

    /// Whether a point uses exercise `e`: its used-flag is set (the flag is what the setup
    /// time is charged on, so the plan's time and the solver's objective agree).
    func isUsed(_ values: [Double], _ e: Int) -> Bool { values[y[e].index] > 0.5 }

    /// The point with every amount below ``amountThreshold`` set to zero together with its
    /// used-flag, kept only when the cleaned point still satisfies every row and bound;
    /// otherwise the point as GLPK gave it (already integral and re-checked by the wrapper).
    func cleaned(_ values: [Double]) -> [Double] {
        var out = values
        var changed = false
        for e in usable {
            let amount = out[x[e].index]
            if amount < Self.amountThreshold && (amount != 0 || out[y[e].index] != 0) {
                out[x[e].index] = 0
                out[y[e].index] = 0
                changed = true
            }
        }
        guard changed else { return values }
        return problem.violation(of: out) == nil ? out : values
    }

    /// A starting point (variable → value) as a full point.
    func point(_ start: [Variable: Double]) -> [Double] {
        var values = [Double](repeating: 0, count: problem.variableCount)
        for (variable, value) in start { values[variable.index] = value }
        return values
    }

    /// Time of a point, from the catalogue: units × seconds per unit, plus the setup of every
    /// exercise whose used-flag is set. Equals the solver's objective at that point.
    func seconds(_ values: [Double]) -> Double { seconds(values, only: usable) }

    /// Time of a point spent on some exercises (catalogue indices).
    func seconds(_ values: [Double], only exercises: [Int]) -> Double {
        exercises.reduce(0) { total, e in
            let ex = catalogue.exercises[e]
            return total + ex.secondsPerUnit * values[x[e].index] + (isUsed(values, e) ? ex.setupSeconds : 0)
        }
    }

    /// Coverage of one cause at a point.
    func coverage(_ values: [Double], cause c: Int) -> Double {
        usable.reduce(0) { $0 + catalogue.exercises[$1].benefits[c] * values[x[$1].index] }
    }

    /// The objective is total time (minimise); in max-min mode, z (maximise).
    func setTimeObjective() throws {
        try problem.setObjective(mode == .maxMin ? .maximize : .minimize)
        for (e, ex) in catalogue.exercises.enumerated() {
            try problem.setObjectiveCoefficient(x[e], mode == .maxMin ? 0 : ex.secondsPerUnit)
            try problem.setObjectiveCoefficient(y[e], mode == .maxMin ? 0 : ex.setupSeconds)
        }
        if let z { try problem.setObjectiveCoefficient(z, 1) }
    }

    /// Minimise total time among points whose weakest fraction is at least `fraction`.
    func setShortestAtFraction(_ fraction: Double) throws {
        guard let z else { return }
        try problem.setBounds(z, lower: max(0, fraction - 1e-9), upper: 1)
        try problem.setObjective(.minimize)
        for (e, ex) in catalogue.exercises.enumerated() {
            try problem.setObjectiveCoefficient(x[e], ex.secondsPerUnit)
            try problem.setObjectiveCoefficient(y[e], ex.setupSeconds)
        }
        try problem.setObjectiveCoefficient(z, 0)
    }

    /// Among points no longer than `maxSeconds` (within the budget), the most total coverage:
    /// the tie-break that makes the chosen routine depend on the model alone.
    func setCoverageTieBreak(maxSeconds: Double, budget: Double?) throws {
        let cap = min(budget ?? .infinity, maxSeconds + 1e-6 * max(1, maxSeconds))
        try problem.setBounds(timeRow, lower: nil, upper: cap)
        try problem.setObjective(.maximize)
        for (e, ex) in catalogue.exercises.enumerated() {
            try problem.setObjectiveCoefficient(x[e], ex.benefits.reduce(0, +))
            try problem.setObjectiveCoefficient(y[e], 0)
        }
    }
}
