/// Why the solver stopped. Kept apart from what numbers are available (a point, a bound,
/// duals), as MathOptInterface and OR-Tools MathOpt do.
public enum Termination: Sendable, Hashable, CustomStringConvertible {
    /// Proven optimal (for a MIP: the search tree was exhausted).
    case optimal
    /// Proven to have no feasible point.
    case infeasible
    /// Proven to have feasible points with arbitrarily good objective.
    case unbounded
    /// The LP relaxation has no dual feasible solution: the problem is infeasible or unbounded.
    case infeasibleOrUnbounded
    /// Branch-and-cut reached the requested relative gap: a feasible point within the gap.
    case gapLimit
    /// The time limit ran out; a feasible point may or may not be available.
    case timeLimit
    /// The simplex iteration limit ran out.
    case iterationLimit
    /// Branch-and-cut created as many nodes as ``SolveOptions/nodeLimit`` allows.
    case nodeLimit
    /// A ``StopSignal`` ended the search; a feasible point may or may not be available.
    case stopped
    /// GLPK failed numerically, or returned a point that does not satisfy the model.
    case numericalFailure

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .infeasibleOrUnbounded: "infeasible or unbounded"
        case .gapLimit: "gap limit reached"
        case .timeLimit: "time limit reached"
        case .iterationLimit: "iteration limit reached"
        case .nodeLimit: "node limit reached"
        case .stopped: "stopped on request"
        case .numericalFailure: "numerical failure"
        }
    }
}

/// The outcome of one solve.
///
/// A point is available (``hasFeasiblePoint``) only when GLPK reported one *and* it passed
/// our own check against every row, bound and integrality requirement.
///
/// ## Sign conventions
/// - ``dual(_:)`` is GLPK's row dual: the change in the objective per unit increase of the
///   constraint's active bound.
/// - ``shadowPrice(_:)`` is the change in the objective per unit *relaxation* of the
///   constraint (as JuMP's `shadow_price`): never positive when minimising, never negative
///   when maximising.
/// - ``reducedCost(_:)`` is GLPK's column dual: the change in the objective per unit
///   increase of the variable's active bound.
public struct Solution: Sendable {
    public let termination: Termination
    /// Whether the problem had integer variables (so the result comes from branch-and-cut).
    public let isMIP: Bool
    /// The objective at the returned point, or nil when there is none.
    public let objectiveValue: Double?
    /// The best proven bound on the optimal objective (for a MIP: from the open search
    /// tree; for an optimal solve: the objective itself), or nil when none is known.
    public let bestBound: Double?
    /// GLPK's status of the reported solution (`glp_get_status` or `glp_mip_status`).
    public let glpkStatus: SolutionStatus
    /// GLPK's return code of the last solver call.
    public let returnCode: ReturnCode
    /// What GLPK wrote to its terminal (empty at message level `.off`).
    public let log: String
    /// What the wrapper noticed and did, in words (e.g. a presolved point that failed the check).
    public let notes: [String]
    /// Whether branch-and-cut accepted the starting point (nil when none was given or
    /// branch-and-cut did not ask for one).
    public let startingPointAccepted: Bool?
    /// Wall time spent in GLPK's solver routines.
    public let solveSeconds: Double
    /// Nodes of the branch-and-cut tree created (nil for an LP): the work measure that
    /// ``SolveOptions/nodeLimit`` bounds.
    public var nodes: Int? = nil

    let problemID: UInt64
    let direction: Direction
    let values: [Double]?
    let activities: [Double]?
    let rowDuals: [Double]?
    let columnDuals: [Double]?

    /// Whether a point that satisfies every constraint is available.
    public var hasFeasiblePoint: Bool { values != nil }

    /// Whether duals are available (an optimal LP, not a MIP).
    public var hasDuals: Bool { rowDuals != nil }

    /// `|objective − bound| / (|objective| + ε)`, GLPK's definition of the relative gap;
    /// nil without both numbers.
    public var relativeGap: Double? {
        guard let objectiveValue, let bestBound else { return nil }
        return abs(objectiveValue - bestBound) / (abs(objectiveValue) + Double.ulpOfOne)
    }

    /// The value of a variable at the returned point, or nil when there is no point (or the
    /// handle is from another problem).
    public func value(_ variable: Variable) -> Double? {
        guard variable.problemID == problemID, let values, values.indices.contains(variable.index) else { return nil }
        return values[variable.index]
    }

    /// All variable values in the order the variables were added, or nil without a point.
    public var allValues: [Double]? { values }

    /// The activity `Σ a·x` of a constraint at the returned point.
    public func activity(_ constraint: Constraint) -> Double? {
        guard constraint.problemID == problemID, let activities, activities.indices.contains(constraint.index) else { return nil }
        return activities[constraint.index]
    }

    /// GLPK's row dual (see the type's sign conventions). The corresponding C function is `glp_get_row_dual`.
    public func dual(_ constraint: Constraint) -> Double? {
        guard constraint.problemID == problemID, let rowDuals, rowDuals.indices.contains(constraint.index) else { return nil }
        return rowDuals[constraint.index]
    }

    /// The change in the objective per unit relaxation of the constraint (JuMP's `shadow_price`).
    public func shadowPrice(_ constraint: Constraint) -> Double? {
        guard let d = dual(constraint) else { return nil }
        let magnitude = abs(d)
        return direction == .minimize ? -magnitude : magnitude
    }

    /// GLPK's column dual (reduced cost). The corresponding C function is `glp_get_col_dual`.
    public func reducedCost(_ variable: Variable) -> Double? {
        guard variable.problemID == problemID, let columnDuals, columnDuals.indices.contains(variable.index) else { return nil }
        return columnDuals[variable.index]
    }
}
