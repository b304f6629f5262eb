internal import GLPK

// The shortest-routine search alone, for benchmarks against other solvers on the exported model.

extension PlanningSession {
    /// Only the search for the shortest routine (no budget, no tie-break, no explanation):
    /// exactly the model `exportModel` writes for a request without a budget. For benchmarks
    /// against other solvers on that file.
    public func shortestRoutineSolve(_ request: PlanRequest) throws -> ShortestRoutine {
        try planner.checked(request)
        let model = try minimumTimeModel()
        try model.configure(usable: planner.usableIndices(for: request), minimums: planner.minimums(for: request),
                            budget: request.budgetSeconds, request: request)
        var o = firstStageOptions(request.timeLimit, request: request, usable: model.usable.count)
        o.startingPoint = model.greedyStart()
        let s = try model.solve(o)
        return ShortestRoutine(seconds: s.objectiveValue, termination: s.termination, bound: s.bestBound)
    }

    /// The search for the shortest routine alone, as the planner's strategy runs it: for
    /// benchmarks against other solvers on the model `exportModel` writes (no budget).
    public func shortestRoutine(_ request: PlanRequest) throws -> ShortestRoutine {
        guard planner.usesCore(usable: planner.usableIndices(for: request).count) else { return try shortestRoutineSolve(request) }
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
    /// How a search ended, in the library's own words (GLPK's terminations, one for one).
    public enum Termination: String, Sendable, Hashable, CustomStringConvertible {
        case optimal, infeasible, unbounded
        case infeasibleOrUnbounded = "infeasible or unbounded"
        case gapLimit = "gap limit reached"
        case timeLimit = "time limit reached"
        case iterationLimit = "iteration limit reached"
        case nodeLimit = "node limit reached"
        case stopped = "stopped on request"
        case numericalFailure = "numerical failure"

        public var description: String { rawValue }

        /// Proven: the routine is the shortest (or within the gap the request allowed), or none exists.
        public var isProven: Bool { self == .optimal || self == .gapLimit || self == .infeasible }
    }

    /// The routine's time, nil without one.
    public let seconds: Double?
    public let termination: Termination
    /// A proven lower bound on the shortest time.
    public let bound: Double?
    /// The relative gap between the routine and the bound.
    public var relativeGap: Double? {
        guard let seconds, let bound else { return nil }
        return abs(seconds - bound) / (abs(seconds) + Double.ulpOfOne)
    }

    init(seconds: Double?, termination: GLPK.Termination, bound: Double?) {
        self.seconds = seconds
        self.bound = bound
        self.termination = switch termination {
        case .optimal: .optimal
        case .infeasible: .infeasible
        case .unbounded: .unbounded
        case .infeasibleOrUnbounded: .infeasibleOrUnbounded
        case .gapLimit: .gapLimit
        case .timeLimit: .timeLimit
        case .iterationLimit: .iterationLimit
        case .nodeLimit: .nodeLimit
        case .stopped: .stopped
        case .numericalFailure: .numericalFailure
        }
    }
}
