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
        let fullAmount = "with \(clock(shortest))\(shortestProven ? "" : " or less") you could do the full amount for every area"
        var notes = ["this routine fits your \(clock(budget)) and works on every area as evenly as that time allows; \(fullAmount)"]
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
                    // When no routine in the time works on every cause (the weakest share is 0),
                    // the shortest at that share is no routine at all: then the most coverage
                    // the whole budget allows, so that whatever fits is done.
                    try model.setCoverageTieBreak(maxSeconds: zStar > 1e-9 ? model.seconds(values) : budget, budget: budget)
                    let chosen = try canonicalChoice(model, start: model.routine(values), remaining: remaining)
                    if let v = chosen.values { values = v }
                    notes += chosen.notes
                }
            }
        } else if best.allValues == nil {
            // Nothing to call even: say only what is known.
            notes = ["no routine within the budget was found (the search stopped: \(best.termination)); \(fullAmount)"]
        } else {
            // A point without a proof: say so rather than call it the most even.
            notes[0] = "this routine fits your \(clock(budget)) and works on every area; \(fullAmount)"
            notes.append("a more even routine for that time may exist: the search stopped (\(best.termination)) before it could rule one out; a longer time limit may spread the time better")
        }
        // A routine that fits is a result (partial); nothing that fits at all is the failure.
        let status: PlanStatus = model.routine(values).isEmpty ? .overBudget : .partial
        let untouched = catalogue.causes.indices.filter { minimums[$0] > 0 && model.coverage(values, cause: $0) <= 1e-9 }
        if status == .partial, !untouched.isEmpty, best.allValues != nil {
            notes[0] = "this routine fits your \(clock(budget)); no routine that short can work on every area, so it does as much as fits; \(fullAmount)"
        }
        if status == .overBudget, best.allValues != nil { notes = ["nothing usable fits in \(clock(budget)); \(fullAmount)"] }
        return routinePlan(status, values: values, model: model, request: request, minimums: minimums,
                           excluded: excluded, gap: nil, minimumSecondsNeeded: shortest,
                           explanation: nil, notes: notes)
    }
}
