import GLPK

/// The greedy routine: repeatedly add one unit (or, for continuous exercises, up to one
/// minute) of the exercise with the most uncovered coverage per second, counting its setup
/// time when it is new, until every cause reaches its minimum. Caps (max_units and the blend
/// share) are respected, so the result is feasible for the routine model without a budget.
///
/// It is what a simple app would do; Relief hands it to branch-and-cut as a first incumbent,
/// and the benchmarks compare it with the optimum.
struct GreedyRoutine {
    /// Units per usable exercise (parallel to `RoutineModel.usable`), or nil when the caps
    /// leave some cause short.
    static func units(catalogue: Catalogue, usable: [Int], upper: [Double], minimums: [Double]) -> [Double]? {
        var remaining = minimums
        var units = [Double](repeating: 0, count: usable.count)
        while remaining.contains(where: { $0 > 1e-9 }) {
            var best: (score: Double, k: Int, amount: Double)?
            for (k, e) in usable.enumerated() where units[k] < upper[k] - 1e-9 {
                let ex = catalogue.exercises[e]
                let amount = ex.whole ? 1 : min(1, upper[k] - units[k])
                var gain = 0.0
                for c in remaining.indices where remaining[c] > 1e-9 {
                    gain += min(ex.benefits[c] * amount, remaining[c])
                }
                guard gain > 1e-12 else { continue }
                let cost = ex.secondsPerUnit * amount + (units[k] == 0 ? ex.setupSeconds : 0)
                let score = gain / max(cost, 1e-9)
                if best == nil || score > best!.score + 1e-12 { best = (score, k, amount) }
            }
            guard let pick = best else { return nil }
            units[pick.k] += pick.amount
            let ex = catalogue.exercises[usable[pick.k]]
            for c in remaining.indices { remaining[c] -= ex.benefits[c] * pick.amount }
        }
        return units
    }
}

extension RoutineModel {
    /// The greedy routine as a starting point for branch-and-cut (nil when it cannot cover
    /// every cause). Only for the minimum-time model without a budget row limit below it.
    func greedyStart() -> [Variable: Double]? {
        guard z == nil,
              let units = GreedyRoutine.units(catalogue: catalogue, usable: usable, upper: upper, minimums: minimums)
        else { return nil }
        if let cap = maxExercises, units.filter({ $0 > 0 }).count > cap { return nil }
        var point: [Variable: Double] = [:]
        for k in usable.indices where units[k] > 0 {
            point[x[k]] = units[k]
            point[y[k]] = 1
        }
        return point
    }
}
