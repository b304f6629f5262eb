// A plan from a model's point, or an empty one with its reason.

extension PlanningSession {
    func used(_ values: [Double], model: RoutineModel) -> [Int] {
        model.usable.filter { model.isUsed(values, $0) }
    }

    func routinePlan(_ status: PlanStatus, values: [Double], model: RoutineModel, request: PlanRequest,
                             minimums: [Double], excluded: [Exclusion], gap: Double?,
                             minimumSecondsNeeded: Double?, explanation: Explanation?, notes: [String]) -> Plan {
        let planned = catalogue.session(model.routine(values), conditions: request.conditions)
        let coverage = catalogue.causes.enumerated().map { c, cause in
            let achieved = model.coverage(values, cause: c)
            return CauseCoverage(id: cause.id, name: cause.name, achieved: achieved, minimum: minimums[c],
                                 met: achieved >= minimums[c] - 1e-6)
        }
        var plan = Plan(status: status, totalSeconds: planned.last?.runningSeconds ?? 0, budgetSeconds: request.budgetSeconds,
                        minimumSecondsNeeded: minimumSecondsNeeded, gap: gap, coverage: coverage, exercises: planned,
                        excluded: excluded.filter(\.shown), uncoverable: [], explanation: explanation, notes: notes)
        plan.orderReason = Plan.orderReason(for: planned)
        return plan
    }

    func emptyPlan(_ status: PlanStatus, request: PlanRequest, minimums: [Double], excluded: [Exclusion],
                           uncoverable: [UncoverableCause], notes: [String] = []) -> Plan {
        let coverage = catalogue.causes.enumerated().map { c, cause in
            CauseCoverage(id: cause.id, name: cause.name, achieved: 0, minimum: minimums[c], met: minimums[c] <= 0)
        }
        return Plan(status: status, totalSeconds: 0, budgetSeconds: request.budgetSeconds, minimumSecondsNeeded: nil,
                    gap: nil, coverage: coverage, exercises: [], excluded: excluded.filter(\.shown), uncoverable: uncoverable,
                    explanation: nil, notes: notes)
    }
}
