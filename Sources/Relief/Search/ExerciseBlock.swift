internal import GLPK

/// One session's exercise decisions, the piece the session model (``RoutineModel``) and the
/// week model (``WeekModel``) are both built from:
///
/// - `x[k]` units of exercise `members[k]` (integer when the exercise is done in whole sets),
/// - `y[k]` ∈ {0, 1} whether it is used at all,
/// - the link `x[k] − U·y[k] ≤ 0` (U: the most units it may have), and
/// - for exercises with a least dose, `x[k] − min_units·y[k] ≥ 0` (none, or a real dose).
///
/// Time and coverage terms are read off the block, so every model charges setup time on the
/// used-flag and counts coverage the same way.
struct ExerciseBlock {
    let problem: Problem
    let members: [Int]
    let x: [Variable]
    let y: [Variable]
    let links: [Constraint]
    /// Least-dose rows by position in `members`.
    let doseRows: [Int: Constraint]
    /// The least units each member has when used (0: no least-dose row), by position.
    let least: [Double]

    /// Adds the block's variables and rows to `problem`. Names are `x_<tag>_<id>` (or
    /// `x_<id>` with no tag), with `-` written as `.` (CPLEX LP names may not contain `-`;
    /// ids never contain `.`, so names stay distinct).
    ///
    /// With `relaxed`, every variable is continuous (the LP relaxation, for bounds).
    /// With `atLeastOneSet`, an exercise done in whole sets gets `x − y ≥ 0` too (used means at
    /// least one set), which also tightens the relaxation; the session model leaves it out
    /// (its optimum never uses a flag without a set, since the flag costs setup time), except
    /// for the exercises in `oneUnit` (catalogue indices: the members of a ``Focus``, whose
    /// row counts used-flags), which get `x − y ≥ 0` whether whole or not.
    init(problem: Problem, catalogue: Catalogue, members: [Int], tag: String = "", atLeastOneSet: Bool = false,
         relaxed: Bool = false, oneUnit: Set<Int> = []) throws {
        self.problem = problem
        self.members = members
        var x: [Variable] = [], y: [Variable] = [], links: [Constraint] = [], dose: [Int: Constraint] = [:], leastUnits: [Double] = []
        let prefix = tag.isEmpty ? "" : tag + "_"
        for (k, e) in members.enumerated() {
            let ex = catalogue.exercises[e]
            let name = prefix + ex.id.replacingOccurrences(of: "-", with: ".")
            let xe = try problem.addVariable(name: "x_\(name)", kind: ex.whole && !relaxed ? .integer : .continuous, lower: 0, upper: 0)
            let ye = try problem.addVariable(name: "y_\(name)", kind: relaxed ? .continuous : .binary, lower: 0, upper: 0)
            links.append(try problem.addConstraint(name: "link_\(name)", terms: [(xe, 1), (ye, -ex.maxUnits)], upper: 0))
            x.append(xe); y.append(ye)
            let least = max(ex.minUnits, (atLeastOneSet && ex.whole) || oneUnit.contains(e) ? min(1, ex.maxUnits) : 0)
            leastUnits.append(least)
            if least > 0 {
                dose[k] = try problem.addConstraint(name: "min_dose_\(name)", terms: [(xe, 1), (ye, -least)], lower: 0)
            }
        }
        self.x = x; self.y = y; self.links = links; doseRows = dose; self.least = leastUnits
    }

    /// Lets member `k` take between `least` and `upper` units (0: unusable), its used-flag
    /// fixed at 1 when `mustUse`. The link's coefficient is the cap itself, the tightest link.
    func setRange(_ k: Int, least: Double, upper: Double, mustUse: Bool = false) throws {
        try problem.setBounds(x[k], lower: least, upper: upper)
        try problem.setBounds(y[k], lower: mustUse && upper > 0 ? 1 : 0, upper: upper > 0 ? 1 : 0)
        if upper > 0 { try problem.setTerms(links[k], [(x[k], 1), (y[k], -upper)]) }
    }

    /// Sets member `k`'s least dose when used (`x − least·y ≥ 0`), e.g. a focus's floor
    /// (``Focus/minUnits``) for one request; a member without a least-dose row keeps none.
    func setLeast(_ k: Int, _ least: Double) throws {
        guard let row = doseRows[k] else { return }
        try problem.setTerms(row, [(x[k], 1), (y[k], -least)])
    }

    /// The least units of `ex` when used under a floor from a focus (``Focus/minUnits``): the
    /// floor, never above the cap `upper` (the blend rule or `max_units`), and never below the
    /// exercise's own least `own`.
    static func floored(_ ex: Exercise, own: Double, floor: Double?, upper: Double) -> Double {
        guard let floor, floor > own else { return own }
        let capped = min(floor, upper)
        return max(own, ex.whole ? (capped + 1e-9).rounded(.down) : capped)
    }

    /// Σ seconds_per_unit·x + setup·y over the members `where` selects.
    func timeTerms(_ catalogue: Catalogue, where include: (Exercise) -> Bool = { _ in true }) -> [(Variable, Double)] {
        var terms: [(Variable, Double)] = []
        for (k, e) in members.enumerated() where include(catalogue.exercises[e]) {
            let ex = catalogue.exercises[e]
            terms.append((x[k], ex.secondsPerUnit))
            if ex.setupSeconds > 0 { terms.append((y[k], ex.setupSeconds)) }
        }
        return terms
    }

    /// Σ benefit·x for one cause over the members `where` selects.
    func coverageTerms(_ catalogue: Catalogue, cause c: Int, where include: (Exercise) -> Bool = { _ in true }) -> [(Variable, Double)] {
        members.indices.compactMap { k in
            let ex = catalogue.exercises[members[k]]
            return ex.benefits[c] > 0 && include(ex) ? (x[k], ex.benefits[c]) : nil
        }
    }
}
