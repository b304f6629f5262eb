internal import GLPK

/// The greedy routine: repeatedly add one unit (or, for continuous exercises, up to one
/// minute) of the exercise with the most uncovered coverage per second, counting its setup
/// time when it is new, until every cause reaches its minimum. Caps (max_units, the blend
/// share and the number of exercises) are respected, and with a budget only units that still
/// fit are considered.
///
/// It is what a simple app would do; Relief hands it to branch-and-cut as a first incumbent,
/// and the benchmarks compare it with the optimum.
public enum GreedyRoutine {
    /// Units per catalogue exercise. `upper` is the cap per catalogue exercise (0: unusable).
    /// `complete` is false when the caps or the budget left some cause short.
    ///
    /// With a `strengthShare`, once every minimum is met it adds strengthening sets (the ones
    /// that raise the share most per set first) until that share of the time is strengthening.
    public static func units(catalogue: Catalogue, upper: [Double], minimums: [Double],
                             budget: Double? = nil, maxExercises: Int? = nil,
                             strengthShare: Double = 0, from start: [Double]? = nil) -> (units: [Double], complete: Bool) {
        var remaining = minimums
        // `start`: units already chosen (per catalogue exercise), which the rule adds to.
        var units = start ?? [Double](repeating: 0, count: catalogue.exercises.count)
        var spent = 0.0, used = 0
        for e in units.indices where units[e] > 0 {
            let ex = catalogue.exercises[e]
            used += 1
            spent += ex.secondsPerUnit * units[e] + ex.setupSeconds
            for c in remaining.indices { remaining[c] -= ex.benefits[c] * units[e] }
        }
        while remaining.contains(where: { $0 > 1e-9 }) {
            var best: (score: Double, e: Int, amount: Double, cost: Double)?
            let full = maxExercises.map { used >= $0 } ?? false
            for (e, ex) in catalogue.exercises.enumerated() where units[e] < upper[e] - 1e-9 && !(full && units[e] == 0) {
                var amount = ex.whole ? 1 : min(1, upper[e] - units[e])
                let setup = units[e] == 0 ? ex.setupSeconds : 0
                // A new exercise starts at its least dose (walking: 10 minutes or none).
                if units[e] == 0 { amount = max(amount, ex.minUnits) }
                if amount > upper[e] - units[e] + 1e-9 { continue }
                if let budget, !ex.whole {
                    amount = min(amount, (budget - spent - setup) / ex.secondsPerUnit)
                    if amount <= 1e-9 || (units[e] == 0 && amount < ex.minUnits - 1e-9) { continue }
                }
                let cost = ex.secondsPerUnit * amount + setup
                if let budget, spent + cost > budget + 1e-9 { continue }
                var gain = 0.0
                for c in remaining.indices where remaining[c] > 1e-9 {
                    gain += min(ex.benefits[c] * amount, remaining[c])
                }
                guard gain > 1e-12 else { continue }
                let score = gain / max(cost, 1e-9)
                if best == nil || score > best!.score + 1e-12 { best = (score, e, amount, cost) }
            }
            guard let pick = best else { return (units, false) }
            if units[pick.e] == 0 { used += 1 }
            units[pick.e] += pick.amount
            spent += pick.cost
            for c in remaining.indices { remaining[c] -= catalogue.exercises[pick.e].benefits[c] * pick.amount }
        }
        func strength() -> Double {
            units.indices.reduce(0) { $0 + (catalogue.exercises[$1].strengthens ? units[$1] * catalogue.exercises[$1].secondsPerUnit : 0) }
        }
        while strengthShare > 0 && strength() < strengthShare * spent - 1e-9 {
            var best: (gain: Double, e: Int, amount: Double, cost: Double)?
            let full = maxExercises.map { used >= $0 } ?? false
            for (e, ex) in catalogue.exercises.enumerated() where ex.strengthens && units[e] < upper[e] - 1e-9
                && !(full && units[e] == 0) {
                let amount = units[e] == 0 ? max(ex.whole ? 1 : min(1, upper[e]), ex.minUnits) : (ex.whole ? 1 : min(1, upper[e] - units[e]))
                guard amount <= upper[e] - units[e] + 1e-9 else { continue }
                let setup = units[e] == 0 ? ex.setupSeconds : 0
                let cost = amount * ex.secondsPerUnit + setup
                if let budget, spent + cost > budget + 1e-9 { continue }
                // How much the deficit (share·time − strengthening time) shrinks.
                let gain = amount * ex.secondsPerUnit * (1 - strengthShare) - strengthShare * setup
                guard gain > 1e-12 else { continue }
                if best == nil || gain > best!.gain + 1e-12 { best = (gain, e, amount, cost) }
            }
            guard let pick = best else { return (units, false) }
            if units[pick.e] == 0 { used += 1 }
            units[pick.e] += pick.amount
            spent += pick.cost
        }
        return (units, true)
    }
}

extension RoutineModel {
    /// The greedy routine as a starting point for branch-and-cut, or nil when it cannot cover
    /// every cause or breaks the cap on exercises. For the minimum-time model.
    func greedyStart() -> [Variable: Double]? {
        guard z == nil else { return nil }
        var caps = [Double](repeating: 0, count: catalogue.exercises.count)
        for (k, e) in members.enumerated() { caps[e] = upper[k] }
        let (units, complete) = GreedyRoutine.units(catalogue: catalogue, upper: caps, minimums: minimums,
                                                    maxExercises: maxExercises, strengthShare: strengthShare)
        guard complete else { return nil }
        var point: [Variable: Double] = [:]
        for e in units.indices where units[e] > 0 {
            point[xVar(e)] = units[e]
            point[yVar(e)] = 1
        }
        // The greedy rule knows nothing of the strengthening share: offer it only when it fits.
        return problem.violation(of: self.point(point)) == nil ? point : nil
    }
}

extension RoutineModel {
    /// A routine that meets every row of the minimum-time model as configured, focus rows
    /// included, or nil: each focus row's least members (least time at their least dose) first,
    /// members of a focus at its most left out, then the greedy rule for the causes. Not a
    /// starting point for the search (``greedyStart()`` is, and stays as it is: a different
    /// start could make the search return another of several equally short routines); only a
    /// witness that some routine exists, and of how long one takes (``PlanningSession/room(_:usable:minimums:within:remaining:)``).
    func greedyFocusPoint() -> [Double]? {
        guard z == nil else { return nil }
        var caps = [Double](repeating: 0, count: catalogue.exercises.count)
        for (k, e) in members.enumerated() { caps[e] = upper[k] }
        var seed = [Double](repeating: 0, count: catalogue.exercises.count)
        for bound in focusBounds where bound.lower > 0 {
            var have = catalogue.focuses[bound.focus].members.filter { seed[$0] > 0 }.count
            let candidates = catalogue.focuses[bound.focus].members.filter { caps[$0] > 0 && seed[$0] == 0 }
                .map { e -> (cost: Double, e: Int, dose: Double) in
                    let ex = catalogue.exercises[e]
                    let dose = max(ex.minUnits, ex.whole ? 1 : min(1, caps[e]))
                    return (ex.setupSeconds + ex.secondsPerUnit * dose, e, dose)
                }
                .sorted { ($0.cost, $0.e) < ($1.cost, $1.e) }
            for candidate in candidates where have < bound.lower && candidate.dose <= caps[candidate.e] + 1e-9 {
                seed[candidate.e] = candidate.dose
                have += 1
            }
        }
        for bound in focusBounds {
            guard let most = bound.upper else { continue }
            let members = catalogue.focuses[bound.focus].members
            if members.filter({ seed[$0] > 0 }).count >= most {
                for e in members where seed[e] == 0 { caps[e] = 0 }
            }
        }
        let (units, complete) = GreedyRoutine.units(catalogue: catalogue, upper: caps, minimums: minimums,
                                                    maxExercises: maxExercises, strengthShare: strengthShare, from: seed)
        guard complete else { return nil }
        var point: [Variable: Double] = [:]
        for e in units.indices where units[e] > 0 {
            point[xVar(e)] = units[e]
            point[yVar(e)] = 1
        }
        let values = self.point(point)
        return problem.violation(of: values) == nil ? values : nil
    }
}
