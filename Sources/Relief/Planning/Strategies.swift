internal import GLPK

/// Ways to build a routine, compared in the benchmarks against Relief's optimum.
public enum Strategy: String, Sendable, CaseIterable, Hashable {
    /// Relief: the shortest routine that covers every cause (or the best within the budget).
    case optimal
    /// Add the exercise with the most uncovered coverage per second until every minimum is
    /// met or nothing more fits the budget, then strengthening sets until the strengthening
    /// share is met (the same rules the optimum obeys).
    case greedy
    /// One technique only, each as good as it can be within the budget (most total coverage,
    /// each cause counted up to its minimum, then the shortest such routine).
    case onlyStretching = "only-stretching"
    case onlyRelease = "only-release"
    case onlyStrengthening = "only-strengthening"
    case onlyMobility = "only-mobility"
    /// A clinician-style template: McGill's big three (curl-up, side bridge, bird dog), one
    /// set each, then a brisk walk of up to 10 minutes, shortened to fit the budget.
    case template = "mcgill-big-3-and-walk"

    var modality: Modality? {
        switch self {
        case .onlyStretching: .stretch
        case .onlyRelease: .release
        case .onlyStrengthening: .strengthen
        case .onlyMobility: .mobilise
        default: nil
        }
    }
}

/// What one strategy gives for one request.
public struct StrategyOutcome: Sendable, Hashable {
    public let strategy: Strategy
    public let seconds: Double
    /// Achieved / minimum per cause (uncapped; 1 when the minimum is 0).
    public let fractions: [Double]
    public let exercises: Int
    /// Whether at least the request's share of the time goes to strengthening sets (the rule
    /// that stretches alone never meet the muscle cause).
    public let meetsStrengthShare: Bool
    /// Every cause at its minimum, under the same rules the optimum obeys.
    public var coversAll: Bool { meetsStrengthShare && fractions.allSatisfy { $0 >= 1 - 1e-6 } }
}

extension Planner {
    /// The routine a strategy builds for a request (the request's budget applies to all).
    public func outcome(of strategy: Strategy, for request: PlanRequest) throws -> StrategyOutcome {
        let minimums = minimums(for: request)
        let usable = usableIndices(for: request)
        func outcome(_ units: [Double]) -> StrategyOutcome {
            var seconds = 0.0, strength = 0.0, balance = 0.0, used = 0
            for (e, u) in units.enumerated() where u > 1e-9 {
                let ex = catalogue.exercises[e]
                seconds += u * ex.secondsPerUnit + ex.setupSeconds
                if ex.strengthens { strength += u * ex.secondsPerUnit }
                if ex.isBalance { balance += u * ex.secondsPerUnit + ex.setupSeconds }
                used += 1
            }
            let fractions = catalogue.causes.indices.map { c -> Double in
                let achieved = units.indices.reduce(0) { $0 + catalogue.exercises[$1].benefits[c] * units[$1] }
                return minimums[c] > 0 ? achieved / minimums[c] : 1
            }
            return StrategyOutcome(strategy: strategy, seconds: seconds, fractions: fractions, exercises: used,
                                   meetsStrengthShare: StrengthShareRule.isMet(strength: strength, total: seconds - balance, share: request.strengthShare))
        }
        switch strategy {
        case .optimal:
            var r = request
            r.explain = false
            let plan = try self.plan(r)
            var units = [Double](repeating: 0, count: catalogue.exercises.count)
            for ex in plan.exercises { units[catalogue.exerciseIndex(ex.id)!] = ex.units }
            return outcome(units)
        case .greedy:
            let allowed = Set(usable)
            let upper = catalogue.exercises.indices.map { e in
                allowed.contains(e) ? RoutineModel.upperBound(catalogue.exercises[e], minimums: minimums, share: request.maxShare).0 : 0
            }
            return outcome(GreedyRoutine.units(catalogue: catalogue, upper: upper, minimums: minimums,
                                               budget: request.budgetSeconds, maxExercises: request.maxExercises,
                                               strengthShare: request.strengthShare).units)
        case .template:
            var units = [Double](repeating: 0, count: catalogue.exercises.count)
            var spent = 0.0
            let allowed = Set(usable)
            for id in ["mcgill-curl-up", "side-bridge-knees", "bird-dog"] {
                guard let e = catalogue.exerciseIndex(id), allowed.contains(e) else { continue }
                let cost = catalogue.exercises[e].secondsPerUnit + catalogue.exercises[e].setupSeconds
                if spent + cost <= (request.budgetSeconds ?? .infinity) + 1e-9 { units[e] = 1; spent += cost }
            }
            if let e = catalogue.exerciseIndex("brisk-walk"), allowed.contains(e) {
                let ex = catalogue.exercises[e]
                let fit = ((request.budgetSeconds ?? .infinity) - spent - ex.setupSeconds) / ex.secondsPerUnit
                units[e] = fit >= max(10, ex.minUnits) ? max(10, ex.minUnits) : 0
            }
            return outcome(units)
        case .onlyStretching, .onlyRelease, .onlyStrengthening, .onlyMobility:
            let only = usable.filter { catalogue.exercises[$0].modality == strategy.modality }
            return outcome(try bestEffort(usable: only, minimums: minimums, request: request))
        }
    }

    /// Most total coverage within the budget, each cause counted up to its minimum; then the
    /// shortest routine with that coverage. Units per catalogue exercise.
    func bestEffort(usable: [Int], minimums: [Double], request: PlanRequest) throws -> [Double] {
        let p = Problem()
        var x: [Int: Variable] = [:], time: [(Variable, Double)] = [], used: [Variable] = []
        for e in usable {
            let ex = catalogue.exercises[e]
            let u = RoutineModel.upperBound(ex, minimums: minimums, share: request.maxShare).0
            guard u > 0 else { continue }
            let xe = try p.addVariable(kind: ex.whole ? .integer : .continuous, lower: 0, upper: u)
            let ye = try p.addVariable(kind: .binary)
            try p.addConstraint(terms: [(xe, 1), (ye, -u)], upper: 0)
            x[e] = xe
            used.append(ye)
            time += [(xe, ex.secondsPerUnit), (ye, ex.setupSeconds)]
        }
        if time.isEmpty { return [Double](repeating: 0, count: catalogue.exercises.count) }
        try p.addConstraint(terms: time, upper: request.budgetSeconds)
        if let k = request.maxExercises { try p.addConstraint(terms: used.map { ($0, 1) }, upper: Double(k)) }
        try p.setObjective(.maximize)
        var fractions: [Variable] = []
        for c in catalogue.causes.indices where minimums[c] > 0 {
            let f = try p.addVariable(lower: 0, upper: 1, objective: 1)
            let terms = x.sorted { $0.key < $1.key }.filter { catalogue.exercises[$0.key].benefits[c] > 0 }
                .map { ($0.value, catalogue.exercises[$0.key].benefits[c]) }
            try p.addConstraint(terms: terms + [(f, -minimums[c])], lower: 0)
            fractions.append(f)
        }
        let best = try p.solve(SolverPolicy.comparisonWeakest)
        var values = best.allValues
        if let total = best.objectiveValue, best.termination == .optimal {
            try p.addConstraint(terms: fractions.map { ($0, 1) }, lower: total - 1e-7)
            try p.setObjective(.minimize)
            for f in fractions { try p.setObjectiveCoefficient(f, 0) }
            for (v, c) in time { try p.setObjectiveCoefficient(v, c) }
            var options = SolverPolicy.comparisonShortest
            options.startingPoint = Dictionary(uniqueKeysWithValues: p.variables.map { ($0, best.value($0) ?? 0) })
            if let v = try p.solve(options).allValues { values = v }
        }
        var units = [Double](repeating: 0, count: catalogue.exercises.count)
        if let values { for (e, v) in x { units[e] = values[v.index] } }
        return units
    }
}
