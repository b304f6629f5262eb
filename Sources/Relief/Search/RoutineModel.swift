internal import GLPK

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
/// A model may hold only some of the catalogue's exercises (`members`): the large-catalogue
/// strategy (``CoreSearch``) builds one over a working set or over the exercises its bound
/// could not rule out. Its accessors take catalogue indices.
///
/// Before every solve the basis is reset to the standard one, so a re-configured model gives
/// exactly what a newly built one would: batch plans equal single plans byte for byte.
final class RoutineModel {
    enum Mode { case minimiseTime, maxMin }

    let problem = Problem()
    let catalogue: Catalogue
    let mode: Mode
    /// Catalogue indices of the exercises in the model, in catalogue order.
    let members: [Int]
    /// Position in `members` of each catalogue index (nil: not in the model).
    private let position: [Int: Int]
    /// Units and used-flag per member (by position in `members`).
    let x: [Variable]
    let y: [Variable]
    let links: [Constraint]
    let coverageRows: [Constraint]
    let timeRow: Constraint
    let cardinalityRow: Constraint
    /// One row per catalogue focus (``Focus``): Σ y over its exercises in the model, bounded by
    /// the request's ``FocusBound`` (free when the focus does not apply).
    let focusRows: [Constraint]
    /// `x[e] − min_units·y[e] ≥ 0` for exercises with a minimum dose (semi-continuous units).
    let minimumDoseRows: [Int: Constraint]
    /// Σ strengthening time − share × Σ time ≥ 0 (free when the share is 0).
    let strengthRow: Constraint
    /// Σ (total benefit per unit)·x: free, except in the last stage of the tie-break.
    let totalCoverageRow: Constraint
    let z: Variable?
    /// Dominance rows (see ``Dominance``), one per pair, configured per request.
    let dominance: [Dominance]
    let dominanceRows: [Constraint]
    /// The exercise decisions (x, y, links, least doses), shared in shape with the week model.
    let block: ExerciseBlock

    // The request currently configured.
    private(set) var usable: [Int] = []          // catalogue indices with U > 0, in catalogue order
    private(set) var upper: [Double] = []        // U per member (0 when unusable)
    private(set) var limitedBy: [Int?] = []      // per member, the cause whose blend share sets U; nil: max_units
    private(set) var minimums: [Double] = []
    private(set) var maxExercises: Int?
    private(set) var strengthShare: Double = 0
    private(set) var focusBounds: [FocusBound] = []
    /// Per member, its least units when used for the request configured (the block's, raised
    /// by a focus's floor: ``Catalogue/focusFloors(for:)``).
    private(set) var least: [Double] = []

    init(catalogue: Catalogue, mode: Mode, members: [Int]? = nil) throws {
        self.catalogue = catalogue
        self.mode = mode
        let members = members ?? Array(catalogue.exercises.indices)
        self.members = members
        position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        try problem.setName(mode == .maxMin ? "relief_best_within_budget" : "relief_routine")
        let block = try ExerciseBlock(problem: problem, catalogue: catalogue, members: members,
                                      oneUnit: Set(catalogue.focuses.flatMap(\.members)))
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
        var focusRows: [Constraint] = []
        for focus in catalogue.focuses {
            let positions = position
            let terms = focus.members.compactMap { e in positions[e].map { (block.y[$0], 1.0) } }
            focusRows.append(try problem.addConstraint(name: "focus_\(focus.id.replacingOccurrences(of: "-", with: "_"))", terms: terms))
        }
        self.focusRows = focusRows
        minimumDoseRows = block.doseRows
        strengthRow = try problem.addConstraint(name: "strength_share", terms: [])
        totalCoverageRow = try problem.addConstraint(
            name: "total_coverage",
            terms: zip(block.x, members).map { ($0, catalogue.exercises[$1].benefits.reduce(0, +)) }.filter { $0.1 > 0 })
        let doseRows = block.doseRows
        dominance = Dominance.pairs(catalogue: catalogue, members: members, hasDoseRow: { doseRows[$0] != nil })
        var dominanceRows: [Constraint] = []
        for pair in dominance {
            let name = "dominance_\(catalogue.exercises[members[pair.better]].id)_\(catalogue.exercises[members[pair.worse]].id)"
            dominanceRows.append(try problem.addConstraint(name: name.replacingOccurrences(of: "-", with: "."), terms: []))
        }
        self.dominanceRows = dominanceRows
    }

    /// Sets the model up for a request: which exercises may be used (`usable`, catalogue
    /// indices), the minimums, the budget (nil: none) and the cap on exercises.
    func configure(usable candidates: [Int], minimums: [Double], budget: Double?, request: PlanRequest) throws {
        self.minimums = minimums
        maxExercises = request.maxExercises
        strengthShare = request.strengthShare
        let allowed = Set(candidates)
        let floors = catalogue.focusFloors(for: request)
        var usable: [Int] = [], upper: [Double] = [], limitedBy: [Int?] = [], least: [Double] = []
        for (k, e) in members.enumerated() {
            let ex = catalogue.exercises[e]
            var (u, cause) = Self.upperBound(ex, minimums: minimums, share: request.maxShare)
            // Not allowed, or capped below its least dose: unusable.
            if !allowed.contains(e) || u < ex.minUnits - 1e-9 { u = 0; cause = nil }
            upper.append(u); limitedBy.append(cause)
            if u > 0 { usable.append(e) }
            // A focus's dose floor for this request (two sets of each leg-strength exercise
            // with osteoporosis), within the exercise's cap.
            let lowest = ExerciseBlock.floored(ex, own: block.least[k], floor: floors[e], upper: u)
            least.append(lowest)
            try block.setLeast(k, lowest)
            // An included exercise is used: its flag fixed at 1 and at least one set (or its
            // least dose, or whatever its cap allows).
            let include = u > 0 && request.included.contains(ex.id)
            try block.setRange(k, least: include ? min(u, max(lowest, Self.leastIncluded(ex, upper: u))) : 0, upper: u, mustUse: include)
        }
        self.usable = usable; self.upper = upper; self.limitedBy = limitedBy; self.least = least
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
        // At least `strengthShare` of the session's time on strengthening (``StrengthShareRule``).
        let share = request.strengthShare
        if share > 0 {
            var terms: [(Variable, Double)] = []
            for e in usable {
                let ex = catalogue.exercises[e]
                let coefficients = StrengthShareRule.coefficients(ex, share: share)
                terms.append((xVar(e), coefficients.units))
                if ex.setupSeconds > 0 { terms.append((yVar(e), coefficients.used)) }
            }
            try problem.setTerms(strengthRow, terms)
            try problem.setBounds(strengthRow, lower: 0, upper: nil)
        } else {
            try problem.setTerms(strengthRow, [])
            try problem.setBounds(strengthRow, lower: nil, upper: nil)
        }
        try problem.setBounds(cardinalityRow, lower: nil, upper: request.maxExercises.map(Double.init))
        focusBounds = catalogue.focusBounds(for: request, usable: candidates)
        for row in focusRows { try problem.setBounds(row, lower: nil, upper: nil) }
        for bound in focusBounds {
            try problem.setBounds(focusRows[bound.focus], lower: bound.lower > 0 ? Double(bound.lower) : nil,
                                  upper: bound.upper.map(Double.init))
        }
        try problem.setBounds(totalCoverageRow, lower: nil, upper: nil)
        if let z { try problem.setBounds(z, lower: 0, upper: 1) }
        try configureDominance(included: request.included, share: share)
        try setTimeObjective()
    }

    /// Each dominance row for the request: off when either exercise is unusable, when the worse
    /// one is included by name (it must stay), or when the strengthening share is on and the
    /// pair's swap could lower strengthening time; otherwise, with U the better one's cap,
    /// `U·y_worse − x_better ≤ 0` when it can take all of the worse one's units (U at least the
    /// worse one's cap), else `U·y_better + U·y_worse − x_better ≤ U`.
    private func configureDominance(included: Set<String>, share: Double) throws {
        // A swap may leave one exercise of a focus where there were two: pairs inside a focus
        // that asks for two or more are off (``Dominance`` keeps pairs within the same focuses).
        let crowded = Set(focusBounds.filter { $0.lower >= 2 }.flatMap { catalogue.focuses[$0.focus].members })
        for (pair, row) in zip(dominance, dominanceRows) {
            let a = pair.better, b = pair.worse
            let ua = upper[a], ub = upper[b]
            guard ua > 0, ub > 0, !included.contains(catalogue.exercises[members[b]].id),
                  share == 0 || pair.holdsWithStrengthShare, !crowded.contains(members[b]) else {
                try problem.setBounds(row, lower: nil, upper: nil)
                continue
            }
            if ua >= ub {
                try problem.setTerms(row, [(y[b], ua), (x[a], -1)])
                try problem.setBounds(row, lower: nil, upper: 0)
            } else {
                try problem.setTerms(row, [(y[a], ua), (y[b], ua), (x[a], -1)])
                try problem.setBounds(row, lower: nil, upper: ua)
            }
        }
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

    /// Amounts below this many units are no amount: a continuous exercise at 1e-5 minutes is
    /// not in the routine (README, "Numbers and their ranges"). Well above what GLPK's
    /// feasibility tolerance (1e-7 of a row's bound) lets ride on a routine of a few hours.
    static let amountThreshold = 1e-4

    /// Whether a point uses exercise `e`: its used-flag is set (the flag is what the setup
    /// time is charged on, so the plan's time and the solver's objective agree).
    func isUsed(_ values: [Double], _ e: Int) -> Bool { values[yVar(e).index] > 0.5 }

    /// Units of catalogue exercise `e` at a point (it must be a member).
    func units(_ values: [Double], _ e: Int) -> Double { values[xVar(e).index] }

    /// The units and used-flag variables of catalogue exercise `e` (it must be a member).
    func xVar(_ e: Int) -> Variable { x[position[e]!] }
    func yVar(_ e: Int) -> Variable { y[position[e]!] }
    func contains(_ e: Int) -> Bool { position[e] != nil }

    /// The cap U of catalogue exercise `e` for the request configured, and the cause whose
    /// blend share sets it (nil: max_units).
    func upper(of e: Int) -> Double { position[e].map { upper[$0] } ?? 0 }
    func limitedBy(_ e: Int) -> Int? { position[e].flatMap { limitedBy[$0] } }

    /// The routine at a point: (catalogue index, units) of every exercise used, in catalogue order.
    func routine(_ values: [Double]) -> [(Int, Double)] {
        usable.filter { isUsed(values, $0) }.map { ($0, units(values, $0)) }
    }

    /// The point with every amount below ``amountThreshold`` set to zero together with its
    /// used-flag, kept only when the cleaned point still satisfies every row and bound;
    /// otherwise the point as GLPK gave it (already integral and re-checked by the wrapper).
    func cleaned(_ values: [Double]) -> [Double] {
        var out = values
        var changed = false
        for e in usable {
            let amount = out[xVar(e).index]
            if amount < Self.amountThreshold && (amount != 0 || out[yVar(e).index] != 0) {
                out[xVar(e).index] = 0
                out[yVar(e).index] = 0
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

    /// The weakest fraction of its minimum that any cause gets at a point (1 with no minimums).
    func fraction(_ values: [Double]) -> Double {
        var f = 1.0
        for (c, m) in minimums.enumerated() where m > 0 { f = min(f, coverage(values, cause: c) / m) }
        return max(0, f)
    }

    /// Time of a point, from the catalogue: units × seconds per unit, plus the setup of every
    /// exercise whose used-flag is set. Equals the solver's objective at that point.
    func seconds(_ values: [Double]) -> Double { seconds(values, only: usable) }

    /// Time of a point spent on some exercises (catalogue indices).
    func seconds(_ values: [Double], only exercises: [Int]) -> Double {
        exercises.reduce(0) { total, e in
            let ex = catalogue.exercises[e]
            return total + ex.secondsPerUnit * values[xVar(e).index] + (isUsed(values, e) ? ex.setupSeconds : 0)
        }
    }

    /// Coverage of one cause at a point.
    func coverage(_ values: [Double], cause c: Int) -> Double {
        usable.reduce(0) { $0 + catalogue.exercises[$1].benefits[c] * values[xVar($1).index] }
    }

    /// The objective is total time (minimise); in max-min mode, z (maximise).
    func setTimeObjective() throws {
        try problem.setObjective(mode == .maxMin ? .maximize : .minimize)
        for (k, e) in members.enumerated() {
            let ex = catalogue.exercises[e]
            try problem.setObjectiveCoefficient(x[k], mode == .maxMin ? 0 : ex.secondsPerUnit)
            try problem.setObjectiveCoefficient(y[k], mode == .maxMin ? 0 : ex.setupSeconds)
        }
        if let z { try problem.setObjectiveCoefficient(z, 1) }
    }

    /// Minimise total time among points whose weakest fraction is at least `fraction`.
    func setShortestAtFraction(_ fraction: Double) throws {
        guard let z else { return }
        try problem.setBounds(z, lower: max(0, fraction - 1e-9), upper: 1)
        try problem.setObjective(.minimize)
        for (k, e) in members.enumerated() {
            let ex = catalogue.exercises[e]
            try problem.setObjectiveCoefficient(x[k], ex.secondsPerUnit)
            try problem.setObjectiveCoefficient(y[k], ex.setupSeconds)
        }
        try problem.setObjectiveCoefficient(z, 0)
    }

    /// The last stage of the tie-break: among points no longer than the shortest time with at
    /// least `coverage` total coverage (the most there is), the one whose exercises' catalogue
    /// positions (1, 2, …) add up least: earlier exercises first, and no more of them than
    /// needed. It depends on the catalogue alone, not on how the search went.
    func setCanonicalChoice(coverage: Double) throws {
        try problem.setBounds(totalCoverageRow, lower: coverage - 1e-9 * max(1, coverage), upper: nil)
        try problem.setObjective(.minimize)
        for (k, e) in members.enumerated() {
            try problem.setObjectiveCoefficient(x[k], 0)
            try problem.setObjectiveCoefficient(y[k], Double(e + 1))
        }
    }

    /// Among points no longer than `maxSeconds` (within the budget), the most total coverage:
    /// the tie-break that makes the chosen routine depend on the model alone.
    func setCoverageTieBreak(maxSeconds: Double, budget: Double?) throws {
        // Exactly the shortest time, not a tolerance more: a tolerance would be room for a trace
        // of some continuous exercise, which adds coverage (GLPK's own feasibility tolerance,
        // 1e-7 relative, remains; amounts that small are cleaned away).
        let cap = min(budget ?? .infinity, maxSeconds)
        try problem.setBounds(timeRow, lower: nil, upper: cap)
        // As a minimisation of minus the coverage, so that its bound comes from the same
        // Lagrangian as every other stage (``lagrangian(_:)``).
        try problem.setObjective(.minimize)
        for (k, e) in members.enumerated() {
            try problem.setObjectiveCoefficient(x[k], -catalogue.exercises[e].benefits.reduce(0, +))
            try problem.setObjectiveCoefficient(y[k], 0)
        }
    }

    /// The Lagrangian bound of the current (minimisation) objective over the model's points,
    /// from the duals of an LP solution of the model, and each member's v: the least that
    /// using it adds to the bound (see ``CoreSearch`` for the argument). The shared rows
    /// (coverage, time, cap, strengthening share, total coverage) are priced, with each price
    /// clamped to the sign that keeps the bound valid; each exercise's own rows (its link and
    /// least dose) and bounds are kept, so its part is minimised exactly at an end of its range.
    func lagrangian(_ lp: Solution) throws -> (bound: Double, values: [Double]) {
        var reduced = [Double](repeating: 0, count: problem.variableCount)
        for variable in problem.variables { reduced[variable.index] = try problem.objectiveCoefficient(variable) }
        var bound = 0.0
        for row in coverageRows + [timeRow, cardinalityRow, strengthRow, totalCoverageRow] + focusRows {
            let (lower, upper) = try problem.bounds(of: row)
            let d = lp.dual(row) ?? 0
            let price: Double
            switch (lower, upper) {
            case let (l?, u?) where l == u: price = d; bound += d * l
            case let (l?, _) where d > 0: price = d; bound += d * l
            case let (_, u?) where d < 0: price = d; bound += d * u
            default: price = 0
            }
            guard price != 0 else { continue }
            for (variable, a) in try problem.terms(of: row) { reduced[variable.index] -= price * a }
        }
        var values: [Double] = []
        values.reserveCapacity(members.count)
        for (k, e) in members.enumerated() {
            let (xl, xu) = try problem.bounds(of: x[k])
            let (yl, yu) = try problem.bounds(of: y[k])
            guard (yu ?? 1) > 0, let xu, xu > 0 else { values.append(.infinity); continue }
            let lo = max(xl ?? 0, k < least.count ? least[k] : block.least[k])
            let cx = reduced[x[k].index], cy = reduced[y[k].index]
            let v = Fixing.value(unitCost: cx, useCost: cy, least: lo, cap: xu)
            values.append(v)
            bound += Fixing.share(v, forced: (yl ?? 0) >= 1)
        }
        // The weakest fraction (max-min model) is priced like an exercise: its part of the
        // bound is the least over its range.
        if let z {
            let (zl, zu) = try problem.bounds(of: z)
            let r = reduced[z.index]
            bound += min(r * (zl ?? 0), r * (zu ?? 1))
        }
        return (bound, values)
    }

    /// Catalogue indices of the members a point of objective at most `limit` may use, by the
    /// bound; the rest are in no such point.
    func survivors(bound: Double, values: [Double], limit: Double) -> [Int] {
        Fixing.survivors(values: values, forced: { k in (try? self.problem.bounds(of: self.y[k]).lower ?? 0) ?? 0 >= 1 },
                         bound: bound, limit: limit).map { members[$0] }
    }

    /// Runs `body` with every member outside `keep` (catalogue indices) fixed unused; the
    /// bounds come back afterwards on every path.
    func withOnly<T>(_ keep: Set<Int>, _ body: () throws -> T) throws -> T {
        var changes: [(Variable, lower: Double?, upper: Double?)] = []
        for (k, e) in members.enumerated() where !keep.contains(e) && upper[k] > 0 {
            changes.append((x[k], lower: 0, upper: 0))
            changes.append((y[k], lower: 0, upper: 0))
        }
        return try problem.withBounds(changes, body)
    }
}
