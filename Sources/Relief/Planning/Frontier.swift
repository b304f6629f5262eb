/// One budget on the frontier.
public struct FrontierPoint: Sendable, Hashable {
    public let minutes: Double
    public let status: PlanStatus
    /// The smallest achieved/minimum ratio over causes, capped at 1 (1: every cause covered).
    public let weakestCoverage: Double
    public let exerciseCount: Int
    public let totalSeconds: Double
}

extension Planner {
    /// For each budget, the best achievable coverage and the routine's size.
    public func frontier(_ request: PlanRequest, minutes: [Double],
                         progress: (Int, Int) -> Void = { _, _ in }) throws -> [FrontierPoint] {
        // One session: the models are built once and re-configured per budget, with the same
        // answers as separate plans (every solve starts from the standard basis).
        try PlanningSession(planner: self).frontier(request, minutes: minutes, progress: progress)
    }
}

extension PlanningSession {
    /// For each budget, the best achievable coverage and the routine's size, on this session's models.
    public func frontier(_ request: PlanRequest, minutes: [Double],
                         progress: (Int, Int) -> Void = { _, _ in }) throws -> [FrontierPoint] {
        try minutes.enumerated().map { k, m in
            var r = request
            r.budgetSeconds = m * 60
            r.explain = false      // the frontier shows no explanation
            let plan = try plan(r)
            progress(k + 1, minutes.count)
            let weakest = plan.coverage.filter { $0.minimum > 0 }.map { min(1, $0.achieved / $0.minimum) }.min() ?? 1
            return FrontierPoint(minutes: m, status: plan.status, weakestCoverage: weakest,
                                 exerciseCount: plan.exercises.count, totalSeconds: plan.totalSeconds)
        }
    }
}

/// The budgets of a frontier, in minutes: `from`, then every `step` up to `to` (a step that
/// lands within a millionth of a minute of `to` includes it), each to three decimals. The CLI and
/// the API both count a range's budgets with this, against their limits.
public func frontierBudgets(from: Double, to: Double, step: Double) -> [Double] {
    guard from.isFinite, to.isFinite, step.isFinite, step > 0, to >= from else { return [] }
    let count = Int(((to - from) / step + 1e-6).rounded(.down)) + 1
    return (0..<count).map { ((from + Double($0) * step) * 1000).rounded() / 1000 }
}
