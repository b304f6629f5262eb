internal import GLPK

// Stage 1: the shortest routine, on the whole model or by the core search.

extension PlanningSession {
    /// What the search for the shortest routine found.
    struct FirstStage {
        let model: RoutineModel
        let values: [Double]?
        let termination: Termination
        let bound: Double?
        let notes: [String]
        let recheckNote: String?
        /// On the core path: the search, its Lagrangian bound and penalties, for later fixing.
        var search: CoreSearch? = nil
        var lagrangian = 0.0
        var penalties: [Double] = []
    }

    /// Stage 1 on the whole model, from the greedy routine, re-checked against it.
    func fullFirstStage(usable: [Int], minimums: [Double], request: PlanRequest,
                                remaining: () -> Double?) throws -> FirstStage {
        let model = try minimumTimeModel()
        try model.configure(usable: usable, minimums: minimums, budget: nil, request: request)
        // The greedy routine is a first incumbent: it bounds the search from the start and
        // means a time limit still returns a routine.
        var firstOptions = firstStageOptions(remaining(), request: request, usable: usable.count)
        let greedy = model.greedyStart()
        firstOptions.startingPoint = greedy
        var first = try model.solve(firstOptions)
        var recheckNote: String?
        let greedyTime = greedy.map { model.seconds(model.point($0)) }
        /// Whether the greedy routine is shorter than a point, beyond the solver's tolerance.
        func greedyBeats(_ values: [Double]) -> Bool {
            guard let greedyTime else { return false }
            let t = model.seconds(values)
            return greedyTime < t - 1e-6 * max(1, t)
        }
        if first.termination == .optimal, let v = first.allValues, greedyBeats(v), let greedyTime {
            // An exact re-check: a routine GLPK did not find beats its "optimal" one. Solve
            // again with the presolver and scaling; if the claim still fails, it is not made.
            let again = try model.solve(SolverPolicy.recheck(firstOptions))
            if again.termination == .optimal, let w = again.allValues, !greedyBeats(w) {
                first = again
            } else {
                recheckNote = "GLPK reported a routine of \(clock(model.seconds(v))) as shortest, but a \(clock(greedyTime)) routine exists: the data may be badly scaled"
                first = again.allValues.map { w in model.seconds(w) < greedyTime ? again : first } ?? first
            }
        }
        var firstValues = first.allValues.map(model.cleaned)
        var firstBound = first.bestBound
        if firstValues == nil, first.termination == .timeLimit || first.termination == .numericalFailure, let greedy {
            // Stopped before GLPK had any routine of its own: the greedy one is feasible.
            firstValues = model.point(greedy)
            firstBound = first.termination == .timeLimit ? max(0, firstBound ?? 0) : nil
        }
        if recheckNote != nil {
            // GLPK's bound is not trusted once its claim failed: no gap is reported.
            firstBound = nil
            if let greedy, let greedyTime, let v = firstValues, greedyTime < model.seconds(v) {
                firstValues = model.point(greedy)
            }
        }
        return FirstStage(model: model, values: firstValues, termination: first.termination, bound: firstBound,
                          notes: first.notes, recheckNote: recheckNote)
    }

    /// Stage 1 by ``CoreSearch``: the whole catalogue's LP by column generation, a bound that
    /// rules out most exercises, and branch-and-cut over the rest.
    func coreFirstStage(usable: [Int], minimums: [Double], request: PlanRequest,
                                remaining: () -> Double?) throws -> FirstStage {
        let search = CoreSearch(catalogue: catalogue, usable: usable, minimums: minimums, budget: nil, request: request,
                                sizes: planner.coreSizes)
        let outcome = try search.shortest(options: { self.firstStageOptions($0, request: request, usable: usable.count) }, remaining: remaining)
        var stage = FirstStage(model: outcome.model, values: outcome.values, termination: outcome.termination,
                               bound: outcome.bound, notes: outcome.notes, recheckNote: nil)
        stage.search = search
        stage.lagrangian = outcome.lagrangian
        stage.penalties = outcome.penalties
        return stage
    }
}
