import CGLPK

/// A return code of a GLPK solver routine (`glp_simplex`, `glp_intopt`, ...), with the
/// reference manual's meaning as its description.
///
/// Every solver call goes through ``ReturnCode/init(rawValue:)`` so that the code is
/// interpreted in exactly one place.
public struct ReturnCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ReturnCode(rawValue: 0)
    public static let invalidBasis = ReturnCode(rawValue: GLP_EBADB)
    public static let singularMatrix = ReturnCode(rawValue: GLP_ESING)
    public static let illConditionedMatrix = ReturnCode(rawValue: GLP_ECOND)
    public static let invalidBounds = ReturnCode(rawValue: GLP_EBOUND)
    public static let solverFailed = ReturnCode(rawValue: GLP_EFAIL)
    public static let objectiveLowerLimit = ReturnCode(rawValue: GLP_EOBJLL)
    public static let objectiveUpperLimit = ReturnCode(rawValue: GLP_EOBJUL)
    public static let iterationLimit = ReturnCode(rawValue: GLP_EITLIM)
    public static let timeLimit = ReturnCode(rawValue: GLP_ETMLIM)
    public static let noPrimalFeasible = ReturnCode(rawValue: GLP_ENOPFS)
    public static let noDualFeasible = ReturnCode(rawValue: GLP_ENODFS)
    public static let rootLPNotOptimal = ReturnCode(rawValue: GLP_EROOT)
    public static let stoppedByApplication = ReturnCode(rawValue: GLP_ESTOP)
    public static let mipGapReached = ReturnCode(rawValue: GLP_EMIPGAP)

    /// GLPK's constant name, e.g. `GLP_EMIPGAP`.
    public var name: String {
        switch self {
        case .success: "0"
        case .invalidBasis: "GLP_EBADB"
        case .singularMatrix: "GLP_ESING"
        case .illConditionedMatrix: "GLP_ECOND"
        case .invalidBounds: "GLP_EBOUND"
        case .solverFailed: "GLP_EFAIL"
        case .objectiveLowerLimit: "GLP_EOBJLL"
        case .objectiveUpperLimit: "GLP_EOBJUL"
        case .iterationLimit: "GLP_EITLIM"
        case .timeLimit: "GLP_ETMLIM"
        case .noPrimalFeasible: "GLP_ENOPFS"
        case .noDualFeasible: "GLP_ENODFS"
        case .rootLPNotOptimal: "GLP_EROOT"
        case .stoppedByApplication: "GLP_ESTOP"
        case .mipGapReached: "GLP_EMIPGAP"
        default: "GLPK return code \(rawValue)"
        }
    }

    /// The meaning given in the GLPK reference manual.
    public var meaning: String {
        switch self {
        case .success: "the solver finished normally"
        case .invalidBasis: "the initial basis is invalid"
        case .singularMatrix: "the basis matrix is singular"
        case .illConditionedMatrix: "the basis matrix is ill-conditioned"
        case .invalidBounds: "some variable has incorrect bounds"
        case .solverFailed: "the solver failed"
        case .objectiveLowerLimit: "the objective reached its lower limit"
        case .objectiveUpperLimit: "the objective reached its upper limit"
        case .iterationLimit: "the iteration limit was exceeded"
        case .timeLimit: "the time limit was exceeded"
        case .noPrimalFeasible: "the problem has no primal feasible solution"
        case .noDualFeasible: "the problem has no dual feasible solution"
        case .rootLPNotOptimal: "the optimal basis of the LP relaxation was not provided"
        case .stoppedByApplication: "the search was stopped by the application"
        case .mipGapReached: "the relative MIP gap tolerance was reached"
        default: "unknown return code"
        }
    }

    public var description: String { "\(name) (\(meaning))" }
}

/// A solution status as GLPK reports it (`glp_get_status`, `glp_mip_status`).
public struct SolutionStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let undefined = SolutionStatus(rawValue: GLP_UNDEF)
    public static let feasible = SolutionStatus(rawValue: GLP_FEAS)
    public static let infeasible = SolutionStatus(rawValue: GLP_INFEAS)
    public static let noFeasible = SolutionStatus(rawValue: GLP_NOFEAS)
    public static let optimal = SolutionStatus(rawValue: GLP_OPT)
    public static let unbounded = SolutionStatus(rawValue: GLP_UNBND)

    public var name: String {
        switch self {
        case .undefined: "GLP_UNDEF"
        case .feasible: "GLP_FEAS"
        case .infeasible: "GLP_INFEAS"
        case .noFeasible: "GLP_NOFEAS"
        case .optimal: "GLP_OPT"
        case .unbounded: "GLP_UNBND"
        default: "GLPK status \(rawValue)"
        }
    }

    public var meaning: String {
        switch self {
        case .undefined: "solution is undefined"
        case .feasible: "solution is feasible"
        case .infeasible: "solution is infeasible"
        case .noFeasible: "problem has no feasible solution"
        case .optimal: "solution is optimal"
        case .unbounded: "problem has unbounded solution"
        default: "unknown status"
        }
    }

    public var description: String { "\(name) (\(meaning))" }
}
