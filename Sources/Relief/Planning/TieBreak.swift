internal import GLPK

// Stages 2 and 3: among routines as good as the first stage's, the most coverage, then the canonical choice; and the bound-and-fix solve they share.

extension PlanningSession {
    /// Stages 2 and 3 on a model already set to the tie-break (``RoutineModel/setCoverageTieBreak(maxSeconds:budget:)``):
    /// among the routines as good as `start`, the most coverage, then the earliest exercises in
    /// the catalogue (``RoutineModel/setCanonicalChoice(coverage:)``). The canonical stage gets
    /// ``WorkBounds/canonicalNodes`` nodes of branch-and-cut: on a hard catalogue, proving which
    /// of the tied routines comes first can take longer than finding them, and the routine is as
    /// good either way. A node count rather than a share of the wall time, so that a loaded
    /// machine shows the same routine as a quiet one. Returns the cleaned point (nil: keep
    /// `start`) and notes.
    func canonicalChoice(_ model: RoutineModel, start: [(Int, Double)],
                                 remaining: () -> Double?) throws -> (values: [Double]?, notes: [String], tied: [(Int, Double)]?) {
        let (second, candidates) = try StageClock.measure("tie-break") {
            try solveFixed(model, start: start, remaining: remaining)
        }
        guard let v = second.allValues else {
            return (nil, ["the tie-break between equally short routines stopped early (\(second.termination)); the first shortest routine found is shown"], nil)
        }
        var values = model.cleaned(v)
        let tied = model.routine(values)
        guard second.termination == .optimal, let least = second.objectiveValue else { return (values, [], tied) }
        try model.setCanonicalChoice(coverage: -least)
        let (third, _) = try StageClock.measure("canonical") {
            try solveFixed(model, start: model.routine(values), within: candidates, remaining: remaining,
                           nodeLimit: WorkBounds.canonicalNodes)
        }
        Diagnostics.trace(1, "canonical: \(third.termination) in \(third.nodes ?? 0) nodes")
        if third.termination == .optimal, let w = third.allValues {
            values = model.cleaned(w)
            return (values, [], tied)
        }
        return (values, ["several routines are equally short with equally much coverage; the rule that picks one of them (earliest exercises in the catalogue) was not completed within its work bound (\(third.termination)): this one is as short and covers as much, but the full and the core strategy may show different ones"], tied)
    }

    /// Solves a tie-break stage whose incumbent is known (`start`, a routine of the model):
    /// the LP relaxation's Lagrangian bound rules out every exercise that cannot be in a point
    /// as good as the incumbent, and branch-and-cut runs with those fixed unused (restored
    /// afterwards). Its optimum is the model's: a point using a fixed exercise is worse than the start.
    /// `within` (catalogue indices) is what an earlier stage proved the only candidates;
    /// the survivors of this stage's bound are returned for the next.
    func solveFixed(_ model: RoutineModel, start routine: [(Int, Double)], within: Set<Int>? = nil,
                            remaining: () -> Double?, nodeLimit: Int = WorkBounds.nodes) throws -> (Solution, Set<Int>?) {
        var o = options(remaining(), nodeLimit: nodeLimit)
        guard let start = CoreSearch.start(routine, in: model) else { return (try model.solve(o), nil) }
        o.startingPoint = start
        let incumbent = model.problem.objectiveValue(of: model.point(start))
        let all = Set(model.members)
        return try model.withOnly(within ?? all) {
            model.problem.resetBasis()
            let lp = try model.problem.solveRelaxation(options(remaining()))
            guard lp.termination == .optimal, lp.hasDuals else { return (try model.solve(o), within) }
            let (bound, values) = try model.lagrangian(lp)
            let keep = Set(model.survivors(bound: bound, values: values, limit: incumbent)).intersection(within ?? all)
            Diagnostics.trace(1, "fixing: bound \(bound), incumbent \(incumbent), keep \(keep.count) of \((within ?? all).count)")
            return (try model.withOnly(keep) { try model.solve(o) }, keep)
        }
    }
}

extension PlanningSession {
    /// What a value-only solve knows: the least objective, or why it stopped.
    enum Least {
        case exact(Double)
        case stopped(Termination)
    }

    /// The least objective of `model` (a minimisation) when only the value is wanted, not the
    /// point (the explanation's prices, the equipment comparison): ``solveFixed(_:start:within:remaining:nodeLimit:)``,
    /// without its branch-and-cut when the LP relaxation's Lagrangian bound (GLPK's simplex;
    /// valid for every point, ``RoutineModel/lagrangian(_:)``) already settles the question:
    /// the bound reaches the start's value (within 1e-9 of it, below GLPK's own optimality
    /// tolerance of 1e-7): no point is better than the start, whose value is the answer.
    /// Otherwise branch-and-cut over the survivors, as ``solveFixed(_:start:within:remaining:nodeLimit:)``.
    func leastValue(_ model: RoutineModel, start routine: [(Int, Double)], remaining: () -> Double?) throws -> Least {
        func answer(_ s: Solution) -> Least {
            if s.termination == .optimal, let v = s.allValues { return .exact(model.seconds(v)) }
            return .stopped(s.termination)
        }
        var o = options(remaining())
        guard let start = CoreSearch.start(routine, in: model) else { return answer(try model.solve(o)) }
        o.startingPoint = start
        let startPoint = model.point(start)
        let incumbent = model.problem.objectiveValue(of: startPoint)
        model.problem.resetBasis()
        let lp = try model.problem.solveRelaxation(options(remaining()))
        guard lp.termination == .optimal, lp.hasDuals else { return answer(try model.solve(o)) }
        let (bound, values) = try model.lagrangian(lp)
        if bound >= incumbent - 1e-9 * max(1, abs(incumbent)) {
            Diagnostics.trace(1, "least value: the bound \(bound) reaches the start \(incumbent)")
            return .exact(model.seconds(startPoint))
        }
        let keep = Set(model.survivors(bound: bound, values: values, limit: incumbent))
        return answer(try model.withOnly(keep) { try model.solve(o) })
    }
}

