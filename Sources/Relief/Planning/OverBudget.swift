// A budget too short for every minimum: the routine within it that covers the weakest cause best.

extension PlanningSession {
    /// A budget too short: the routine within it that maximises the smallest coverage fraction.
    func bestWithinBudget(budget: Double, shortest: Double, shortestProven: Bool, usable: [Int],
                                  minimums: [Double], request: PlanRequest, excluded: [Exclusion], tieBreak: Bool,
                                  remaining: () -> Double?) throws -> Plan {
        let model = try maxMinModel()
        try model.configure(usable: usable, minimums: minimums, budget: budget, request: request)
        let maxMinOptions = SolverPolicy.weakestCause(timeLimit: remaining(), stop: stop)
        let best = try StageClock.measure("max-min") { try model.solve(maxMinOptions) }
        // The focus the person asked for does not fit the budget at all: the most even routine
        // without it (the plan's focus section shows it unmet).
        let asked = model.focusBounds.filter { $0.lower > 0 }
        if best.termination == .infeasible, !asked.isEmpty {
            var without = request
            for bound in asked { without.skippedFocus.insert(catalogue.focuses[bound.focus].id) }
            without.focusSettled = true
            if tieBreak { finalRequest = without }
            return try bestWithinBudget(budget: budget, shortest: shortest, shortestProven: shortestProven, usable: usable,
                                        minimums: minimums, request: without, excluded: excluded, tieBreak: tieBreak,
                                        remaining: remaining)
        }
        var values = best.allValues.map(model.cleaned) ?? [Double](repeating: 0, count: model.problem.variableCount)
        var notes = ["this routine fits your \(clock(budget)) and works on every cause as evenly as that time allows; with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"]
        if best.termination == .optimal, let z = model.z, let zStar = best.value(z) {
            // Among routines with the same weakest fraction, the shortest.
            try model.setShortestAtFraction(zStar)
            var shortestOptions = SolverPolicy.shortestAtFraction(timeLimit: remaining(), stop: stop)
            shortestOptions.startingPoint = Dictionary(uniqueKeysWithValues: model.problem.variables.map { ($0, best.value($0) ?? 0) })
            let shortestAtFraction = try StageClock.measure("max-min shortest") { try model.solve(shortestOptions) }
            if let v = shortestAtFraction.allValues {
                values = model.cleaned(v)
                if shortestAtFraction.termination == .optimal && tieBreak {
                    // Then the same rule as for a routine within the budget: the most coverage,
                    // then the earliest exercises in the catalogue.
                    try model.setCoverageTieBreak(maxSeconds: model.seconds(values), budget: budget)
                    let chosen = try canonicalChoice(model, start: model.routine(values), remaining: remaining)
                    if let v = chosen.values { values = v }
                    notes += chosen.notes
                }
            }
        } else if best.allValues == nil {
            // Nothing to call even: say only what is known.
            notes = ["no routine within the budget was found (\(best.termination)); with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"]
        } else {
            // A point without a proof: say so rather than call it the most even.
            notes[0] = "this routine fits your \(clock(budget)) and works on every cause; with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"
            notes.append("not proven the most even routine for that time: the solver stopped (\(best.termination)) before it could prove one; a longer time limit may spread the time better")
        }
        return routinePlan(.overBudget, values: values, model: model, request: request, minimums: minimums,
                           excluded: excluded, gap: nil, minimumSecondsNeeded: shortest,
                           explanation: nil, notes: notes)
    }
}
