import GLPK

// The shortest-routine search alone, for benchmarks against other solvers on the exported model.

extension PlanningSession {
    /// Only the search for the shortest routine (no budget, no tie-break, no explanation):
    /// exactly the model `exportModel` writes for a request without a budget. For benchmarks
    /// against other solvers on that file.
    public func shortestRoutineSolve(_ request: PlanRequest) throws -> Solution {
        try planner.checked(request)
        let model = try minimumTimeModel()
        try model.configure(usable: planner.usableIndices(for: request), minimums: planner.minimums(for: request),
                            budget: request.budgetSeconds, request: request)
        var o = firstStageOptions(request.timeLimit, request: request, usable: model.usable.count)
        o.startingPoint = model.greedyStart()
        return try model.solve(o)
    }

    /// The search for the shortest routine alone, as the planner's strategy runs it: for
    /// benchmarks against other solvers on the model `exportModel` writes (no budget).
    public func shortestRoutine(_ request: PlanRequest) throws -> ShortestRoutine {
        guard planner.usesCore(usable: planner.usableIndices(for: request).count) else {
            let s = try shortestRoutineSolve(request)
            return ShortestRoutine(seconds: s.objectiveValue, termination: s.termination, bound: s.bestBound)
        }
        try planner.checked(request)
        let search = CoreSearch(catalogue: catalogue, usable: planner.usableIndices(for: request),
                                minimums: planner.minimums(for: request), budget: request.budgetSeconds, request: request,
                                sizes: planner.coreSizes)
        let clock = ContinuousClock()
        let deadline = request.timeLimit.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        let outcome = try search.shortest(options: { self.firstStageOptions($0, request: request, usable: search.usable.count) },
                                          remaining: { deadline.map { max(0.001, ($0 - clock.now).seconds) } })
        return ShortestRoutine(seconds: outcome.values.map(outcome.model.seconds), termination: outcome.termination,
                               bound: outcome.bound)
    }
}

/// What the search for the shortest routine alone found (``PlanningSession/shortestRoutine(_:)``).
public struct ShortestRoutine: Sendable {
    /// The routine's time, nil without one.
    public let seconds: Double?
    public let termination: Termination
    /// A proven lower bound on the shortest time.
    public let bound: Double?
    /// GLPK's relative gap between the routine and the bound.
    public var relativeGap: Double? {
        guard let seconds, let bound else { return nil }
        return abs(seconds - bound) / (abs(seconds) + Double.ulpOfOne)
    }
}
