/// What the planner concluded.
public enum PlanStatus: String, Sendable, Hashable, Codable {
    /// The shortest routine meeting every minimum within the budget, proven by GLPK.
    case optimal
    /// A routine meeting every minimum within the budget, not proven shortest (see `gap`).
    case feasible
    /// No routine within the budget meets every minimum; `exercises` is the best that fits.
    case overBudget = "over_budget"
    /// Some cause cannot reach its minimum with the exercises left after exclusions.
    case uncoverable
    /// The time limit ran out before any routine was found.
    case noSolution = "no_solution"
}

/// One exercise of a routine, in the order to do it.
public struct PlannedExercise: Sendable, Hashable, Codable {
    public let order: Int
    public let id: String
    public let name: String
    public let modality: Modality
    public let unit: String
    public let dose: String
    public let units: Double
    /// Time for this exercise: units × seconds per unit + setup.
    public let seconds: Double
    public let setupSeconds: Double
    /// Time from the start of the routine to the end of this exercise.
    public let runningSeconds: Double
    /// Points this exercise gives each cause (by cause id).
    public let coverage: [String: Double]
    public let instructions: String
}

/// How well a routine covers one cause.
public struct CauseCoverage: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let achieved: Double
    public let minimum: Double
    /// Whether `achieved ≥ minimum`.
    public let met: Bool
}

/// An exercise left out, and every reason why.
public struct Exclusion: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let reasons: [String]
}

/// A cause the usable exercises cannot cover, and what took its exercises away.
public struct UncoverableCause: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let minimum: Double
    /// The most coverage the usable exercises can give it.
    public let reachable: Double
    public let reason: String
    /// Exercises that would cover it but were excluded.
    public let removedBy: [String]
}

/// The price of one more point of a cause's minimum.
public struct MarginalCost: Sendable, Hashable, Codable {
    public let cause: String
    /// Extra seconds the shortest routine needs; nil when one more point cannot be had.
    public let secondsPerPoint: Double?
    public let note: String?
}

/// Why the routine is shaped the way it is.
public struct Explanation: Sendable, Hashable, Codable {
    /// The constraints that hold with equality: `budget`, `cause:ID`, `blend:EXERCISE:CAUSE`,
    /// `max_units:EXERCISE`, `max_exercises`.
    public let binding: [String]
    /// How the marginal costs were computed.
    public let method: String
    public let marginalCosts: [MarginalCost]
}

/// A routine and everything known about it.
public struct Plan: Sendable, Hashable, Codable {
    public let status: PlanStatus
    public let totalSeconds: Double
    public let budgetSeconds: Double?
    /// When over budget: the shortest routine that meets every minimum takes this long.
    public let minimumSecondsNeeded: Double?
    /// When not proven optimal: GLPK's relative gap between the routine and the best bound.
    public let gap: Double?
    public let coverage: [CauseCoverage]
    public let exercises: [PlannedExercise]
    public let excluded: [Exclusion]
    public let uncoverable: [UncoverableCause]
    public let explanation: Explanation?
    public let notes: [String]

    func with(explanation: Explanation) -> Plan {
        Plan(status: status, totalSeconds: totalSeconds, budgetSeconds: budgetSeconds,
             minimumSecondsNeeded: minimumSecondsNeeded, gap: gap, coverage: coverage, exercises: exercises,
             excluded: excluded, uncoverable: uncoverable, explanation: explanation, notes: notes)
    }

    /// Whether the plan meets the request (exit status 0 for the command).
    public var meetsRequest: Bool { status == .optimal || status == .feasible }
}
