import Foundation
internal import GLPK

/// How the shortest routine is searched for. Every strategy gives the same routine (the
/// tie-break rule in ``PlanningSession/plan(_:)`` decides among equally short ones); they differ
/// in speed only.
public enum SolveStrategy: String, Sendable, CaseIterable, Hashable {
    /// `core` for catalogues of more than ``CoreSearch/autoThreshold`` usable exercises, `full` below.
    case auto
    /// Branch-and-cut on the whole model: every usable exercise in one MIP.
    case full
    /// Column generation, a Lagrangian bound, a core incumbent and reduced-cost fixing, then
    /// branch-and-cut over the exercises the bound could not rule out (``CoreSearch``).
    case core

    /// ``CoreSearch/autoThreshold`` as people write it.
    public static var autoThresholdText: String { "1,500" }
}

/// The large-catalogue search: exact, and fast because almost every exercise can be proven
/// useless before branch-and-cut starts.
///
/// **The bound.** Take any prices π on the rows every exercise shares (π_c ≥ 0 on each cause's
/// coverage row Σ b·x ≥ m_c; π ≤ 0 on the budget, cap and rows of the `≤` kind; π ≥ 0 on the
/// strengthening-share row). For every routine (x, y) that satisfies all rows,
///
///     time(x, y) ≥ time(x, y) − Σ_i π_i (row_i(x, y) − rhs_i)            (each product has the right sign)
///               = Σ_i π_i·rhs_i + Σ_e [c_x(e)·x_e + c_y(e)·y_e]
///
/// with c_x, c_y the reduced costs of exercise e's units and used-flag under π. Each exercise's
/// bracket depends on that exercise alone, so it is at least its smallest value over the
/// exercise's own options: 0 when unused, and v_e = c_y(e) + min(c_x(e)·lo_e, c_x(e)·U_e) when
/// used (linear in the units, so an end of [lo_e, U_e] is the least; both ends are whole numbers
/// for exercises done in whole sets). Hence LB = Σ π_i·rhs_i + Σ_e min(0, v_e) (v_e for an
/// exercise the request includes) is a lower bound on every routine's time, and a routine that
/// uses exercise e takes at least LB + max(0, v_e).
///
/// **The fixing.** Given any routine of time I (the incumbent), an exercise with
/// LB + max(0, v_e) > I + tol is in no routine of time at most I + tol, so it can be dropped
/// from the search for the shortest routine, and from the tie-break among the shortest (whose
/// routines take at most the shortest time plus GLPK's tolerance, 1e-6 relative, well inside
/// `tol`). Branch-and-cut over the survivors then proves the optimum over the whole catalogue:
/// a better routine would use only survivors. `tol` (``Fixing/tolerance(_:)``) is 1e-5 of the
/// incumbent plus 1e-6 s, far above the rounding error of the sums (about 1e-12 relative per
/// term), so rounding can only keep an exercise, never drop one wrongly.
///
/// **The prices** come from the LP relaxation, solved by column generation: a working set of
/// a few hundred exercises (the greedy routine's and the best per cause), priced against the
/// whole catalogue; an exercise whose v_e is negative improves the LP and joins the set, until
/// none does. At that point the working set's LP optimum is the whole catalogue's.
///
/// **The incumbent** is the optimum of a small "core" MIP over the working set and the
/// exercises with the smallest penalties max(0, v_e), started from the greedy routine.
final class CoreSearch {
    /// Above this many usable exercises, `auto` uses the core search.
    static let autoThreshold = 1_500
    /// How large the first working set and the core are. Any sizes give the same answer (the
    /// tests use tiny ones so that every step of the method runs on small catalogues).
    struct Sizes: Sendable, Hashable {
        /// The best exercises per cause in the first working set.
        var perCause = 40
        /// Exercises in the core MIP besides the working set.
        var core = 1_000
    }
    let sizes: Sizes

    /// The core's search time: a small share of what the survivors' proof may take.
    static func coreSeconds(_ usable: Int) -> Double { min(10, 0.25 + Double(usable) / 2_000) }

    let catalogue: Catalogue
    let request: PlanRequest
    let minimums: [Double]
    let budget: Double?
    /// Usable exercises (catalogue indices, in catalogue order) and, per position: the least
    /// units when used, the cap, and whether the request includes it.
    let usable: [Int]
    private var least: [Double] = []
    private var cap: [Double] = []
    private var forced: [Bool] = []

    init(catalogue: Catalogue, usable candidates: [Int], minimums: [Double], budget: Double?, request: PlanRequest,
         sizes: Sizes = Sizes()) {
        self.catalogue = catalogue
        self.sizes = sizes
        self.request = request
        self.minimums = minimums
        self.budget = budget
        var usable: [Int] = []
        for e in candidates {
            let ex = catalogue.exercises[e]
            let u = RoutineModel.upperBound(ex, minimums: minimums, share: request.maxShare).0
            guard u > 0, u >= ex.minUnits - 1e-9 else { continue }
            let include = request.included.contains(ex.id)
            usable.append(e)
            cap.append(u)
            least.append(include ? RoutineModel.leastIncluded(ex, upper: u) : ex.minUnits)
            forced.append(include)
        }
        self.usable = usable
    }

    /// Prices on the shared rows, clamped to the signs that keep the bound valid.
    struct Prices {
        var cover: [Double]
        var budget = 0.0
        var cardinality = 0.0
        var strength = 0.0
    }

    /// The prices an LP solution of `model` gives (GLPK's duals: Σ π·a is subtracted from the cost).
    func prices(_ solution: Solution, model: RoutineModel) -> Prices {
        var p = Prices(cover: model.coverageRows.map { max(0, solution.dual($0) ?? 0) })
        if budget != nil { p.budget = min(0, solution.dual(model.timeRow) ?? 0) }
        if request.maxExercises != nil { p.cardinality = min(0, solution.dual(model.cardinalityRow) ?? 0) }
        if request.strengthShare > 0 { p.strength = max(0, solution.dual(model.strengthRow) ?? 0) }
        return p
    }

    /// v_e for the usable exercise at position k: the least that using it adds to the bound.
    func value(_ k: Int, _ p: Prices) -> Double {
        let ex = catalogue.exercises[usable[k]]
        let share = request.strengthShare
        var cx = ex.secondsPerUnit * (1 - p.budget)
        for c in p.cover.indices where ex.benefits[c] > 0 { cx -= p.cover[c] * ex.benefits[c] }
        var cy = ex.setupSeconds * (1 - p.budget) - p.cardinality
        if share > 0 {
            let coefficients = StrengthShareRule.coefficients(ex, share: share)
            cx -= p.strength * coefficients.units
            cy -= p.strength * coefficients.used
        }
        return Fixing.value(unitCost: cx, useCost: cy, least: least[k], cap: cap[k])
    }

    /// The Lagrangian bound and every usable exercise's v_e under some prices.
    func bound(_ p: Prices) -> (bound: Double, values: [Double]) {
        var lb = 0.0
        for c in minimums.indices { lb += p.cover[c] * minimums[c] }
        if let budget { lb += p.budget * budget }
        if let k = request.maxExercises { lb += p.cardinality * Double(k) }
        let values = usable.indices.map { value($0, p) }
        for k in values.indices { lb += Fixing.share(values[k], forced: forced[k]) }
        return (lb, values)
    }

    /// Catalogue indices of the usable exercises a routine of time at most `limit` may use.
    func survivors(bound lb: Double, values: [Double], limit: Double) -> [Int] {
        Fixing.survivors(values: values, forced: { self.forced[$0] }, bound: lb, limit: limit).map { usable[$0] }
    }

    /// A model over some exercises (catalogue indices), configured for this request.
    func model(over members: [Int]) throws -> RoutineModel {
        let members = members.sorted()
        let model = try RoutineModel(catalogue: catalogue, mode: .minimiseTime, members: members)
        try model.configure(usable: members, minimums: minimums, budget: budget, request: request)
        return model
    }

    /// The cap of catalogue exercise `e` for this request (0: not usable).
    func upper(of e: Int) -> Double { positionOf[e].map { cap[$0] } ?? 0 }
    private lazy var positionOf: [Int: Int] = Dictionary(uniqueKeysWithValues: usable.enumerated().map { ($1, $0) })

    /// The greedy routine over the whole catalogue, or nil when it misses a minimum.
    func greedy() -> [(Int, Double)]? {
        var caps = [Double](repeating: 0, count: catalogue.exercises.count)
        for (k, e) in usable.enumerated() { caps[e] = cap[k] }
        let (units, complete) = GreedyRoutine.units(catalogue: catalogue, upper: caps, minimums: minimums,
                                                    maxExercises: request.maxExercises, strengthShare: request.strengthShare)
        guard complete else { return nil }
        return units.indices.filter { units[$0] > 0 }.map { ($0, units[$0]) }
    }

    /// A routine as a starting point of a model holding all its exercises, or nil when it does
    /// not satisfy that model (the greedy rule knows nothing of included exercises, for one).
    static func start(_ routine: [(Int, Double)], in model: RoutineModel) -> [Variable: Double]? {
        guard routine.allSatisfy({ model.contains($0.0) }) else { return nil }
        var point: [Variable: Double] = [:]
        for (e, u) in routine { point[model.xVar(e)] = u; point[model.yVar(e)] = 1 }
        if let z = model.z { point[z] = model.fraction(model.point(point)) }
        return model.problem.violation(of: model.point(point)) == nil ? point : nil
    }

    /// The LP relaxation over the whole catalogue by column generation. Returns its prices
    /// and the final working set.
    func relaxation(initial: Set<Int>, options: SolveOptions) throws -> (Prices, Set<Int>, Termination) {
        var working = initial
        for k in usable.indices where forced[k] { working.insert(usable[k]) }
        // The best exercises per cause by coverage per second at their cap, and the cheapest.
        for c in minimums.indices where minimums[c] > 0 {
            let ranked = usable.indices.filter { catalogue.exercises[usable[$0]].benefits[c] > 0 }
                .map { k -> (Double, Int) in
                    let ex = catalogue.exercises[usable[k]]
                    return (ex.benefits[c] * cap[k] / (ex.secondsPerUnit * cap[k] + ex.setupSeconds), usable[k])
                }
                .sorted { ($0.0, -$0.1) > ($1.0, -$1.1) }
            for (_, e) in ranked.prefix(sizes.perCause) { working.insert(e) }
        }
        let position = Dictionary(uniqueKeysWithValues: usable.enumerated().map { ($1, $0) })
        for _ in 0..<50 {
            let model = try model(over: Array(working))
            let lp = try model.problem.solveRelaxation(options)
            guard lp.termination == .optimal, lp.hasDuals else { return (Prices(cover: minimums.map { _ in 0 }), working, lp.termination) }
            let p = prices(lp, model: model)
            // Columns that improve the LP: most negative first, at most 500 a round.
            var entering: [(Double, Int)] = []
            let scale = 1e-9 * max(1, lp.objectiveValue ?? 1)
            for (e, k) in position where !working.contains(e) {
                let v = value(k, p)
                if v < -scale { entering.append((v, e)) }
            }
            if entering.isEmpty { return (p, working, .optimal) }
            entering.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            for (_, e) in entering.prefix(500) { working.insert(e) }
        }
        // Not converged: the prices are still valid for the bound, only weaker.
        let model = try model(over: Array(working))
        let lp = try model.problem.solveRelaxation(options)
        return (lp.hasDuals ? prices(lp, model: model) : Prices(cover: minimums.map { _ in 0 }), working, lp.termination)
    }

    /// The outcome of the search for the shortest routine.
    struct Outcome {
        /// The model the values belong to (over the survivors or the core).
        let model: RoutineModel
        let values: [Double]?
        let termination: Termination
        let bound: Double?
        /// The Lagrangian bound and v_e per usable exercise, for fixing in later stages.
        let lagrangian: Double
        let penalties: [Double]
        let notes: [String]
    }

    /// The shortest routine: LP prices, bound, core incumbent, fixing, then branch-and-cut
    /// over the survivors. `remaining` gives what is left of the time limit.
    /// With `known`, a routine for this request found another way (the explanation's re-solves
    /// pass the shortest routine plus the cheapest extra point): when it meets every row it
    /// joins the working set and the core's search starts from it.
    func shortest(options: (Double?) -> SolveOptions, remaining: () -> Double?,
                  known: [(Int, Double)]? = nil) throws -> Outcome {
        let greedyRoutine = greedy()
        var knownStart: (model: RoutineModel, values: [Double])?
        if let known {
            let m = try model(over: known.map(\.0))
            if let start = Self.start(known, in: m) { knownStart = (m, m.point(start)) }
        }
        let initial = Set(greedyRoutine?.map(\.0) ?? []).union(knownStart == nil ? [] : (known ?? []).map(\.0))
        let (p, working, lpTermination) = try relaxation(initial: initial, options: options(remaining()))
        let (lb, values) = lpTermination == .optimal ? bound(p) : (-Double.infinity, usable.map { _ in 0.0 })
        // The core: the working set and the exercises with the smallest penalties.
        var core = working
        let ranked = usable.indices.filter { !working.contains(usable[$0]) }
            .sorted { (max(0, values[$0]), $0) < (max(0, values[$1]), $1) }
        for k in ranked.prefix(sizes.core) { core.insert(usable[k]) }
        let coreModel = try model(over: Array(core))
        // The core only has to give a good routine, not prove it best: its search is cut
        // short (the proof comes over the survivors). It starts from the known routine when
        // there is one (it is in the working set), else from the greedy one.
        var coreOptions = options(min(remaining() ?? .infinity, Self.coreSeconds(usable.count)))
        coreOptions.startingPoint = (knownStart == nil ? nil : known).flatMap { Self.start($0, in: coreModel) }
            ?? greedyRoutine.flatMap { Self.start($0, in: coreModel) }
        let coreSolution = try coreModel.solve(coreOptions)
        var incumbentValues = coreSolution.allValues.map(coreModel.cleaned)
        var incumbentModel = coreModel
        if incumbentValues == nil, let knownStart {
            incumbentValues = knownStart.values
            incumbentModel = knownStart.model
        } else if incumbentValues == nil, let greedyRoutine {
            // The core found nothing in time: the greedy routine is the incumbent.
            let full = try model(over: greedyRoutine.map(\.0))
            if let start = Self.start(greedyRoutine, in: full) {
                incumbentValues = full.point(start)
                incumbentModel = full
            }
        }
        guard let incumbent = incumbentValues.map({ incumbentModel.seconds($0) }) else {
            // Nothing to fix against: branch-and-cut over everything.
            let all = try model(over: usable)
            let s = try all.solve(options(remaining()))
            return Outcome(model: all, values: s.allValues.map(all.cleaned), termination: s.termination, bound: s.bestBound,
                           lagrangian: lb, penalties: values, notes: s.notes)
        }
        let keep = survivors(bound: lb, values: values, limit: incumbent)
        Diagnostics.trace(1, "core: usable \(usable.count), working \(working.count), core \(core.count) \(coreSolution.termination) \(coreSolution.solveSeconds)s, known \(knownStart != nil), LB \(lb), incumbent \(incumbent), greedy \(greedyRoutine.map { r in r.reduce(0.0) { t, p in t + catalogue.exercises[p.0].secondsPerUnit * p.1 + catalogue.exercises[p.0].setupSeconds } } ?? -1), survivors \(keep.count)")
        if coreSolution.termination == .optimal && keep.allSatisfy(core.contains) {
            // Every exercise that could be in a shorter routine was in the core: its optimum is the optimum.
            return Outcome(model: incumbentModel, values: incumbentValues, termination: .optimal, bound: incumbent,
                           lagrangian: lb, penalties: values, notes: [])
        }
        let survivorModel = try model(over: keep)
        var finalOptions = options(remaining())
        finalOptions.startingPoint = incumbentValues.flatMap { v in
            Self.start(incumbentModel.routine(v), in: survivorModel)
        }
        if let path = Diagnostics.survivorModelPath { try? survivorModel.problem.write(to: path, format: .cplexLP) }
        let s = try survivorModel.solve(finalOptions)
        Diagnostics.trace(1, "core: survivors solve \(s.termination) \(s.solveSeconds)s objective \(s.objectiveValue ?? -1)")
        var found = s.allValues.map(survivorModel.cleaned)
        var model = survivorModel
        let termination = s.termination
        if found == nil || (s.termination != .optimal && survivorModel.seconds(found!) > incumbent) {
            // Stopped without a better routine: the incumbent stands, with the bound proven so far.
            found = incumbentValues
            model = incumbentModel
        }
        // A routine using a dropped exercise takes more than the incumbent: the survivors' bound,
        // capped by the incumbent, and the Lagrangian bound are both lower bounds.
        let survivorBound = s.termination == .optimal ? s.objectiveValue : s.bestBound
        let globalBound = max(lb, min(survivorBound ?? lb, incumbent))
        return Outcome(model: model, values: found, termination: termination,
                       bound: termination == .optimal ? s.objectiveValue : globalBound,
                       lagrangian: lb, penalties: values, notes: s.notes)
    }
}
