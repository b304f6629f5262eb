import CGLPK

/// How ``Problem/solve(_:)`` runs GLPK. The defaults are GLPK's own, except that GLPK is
/// silent.
public struct SolveOptions: Sendable {
    /// Stop after this many seconds of solver time (nil: no limit). A stopped MIP still
    /// returns its best point, with termination ``Termination/timeLimit``.
    public var timeLimit: Double?
    /// Stop branch-and-cut once it has created this many nodes of its search tree (nil: no
    /// limit), with termination ``Termination/nodeLimit`` and its best point so far. Unlike a
    /// time limit it stops at the same place on a quiet or a loaded machine: the same model
    /// gives the same answer.
    public var nodeLimit: Int?
    /// Stop each simplex solve after this many iterations (nil: no limit), with termination
    /// ``Termination/iterationLimit``; as deterministic as ``nodeLimit``.
    public var iterationLimit: Int?
    /// Set from another thread to end the branch-and-cut search early (``Termination/stopped``).
    public var stop: StopSignal?
    /// Stop branch-and-cut once `|best − bound| / (|best| + ε)` is at most this (0: prove optimality).
    public var relativeGap: Double = 0
    /// Use GLPK's presolver. Without it, the LP relaxation is solved by `glp_simplex` first
    /// and branch-and-cut starts from its basis (and can take a ``startingPoint``).
    public var presolve: Bool = false
    /// Cutting-plane families for branch-and-cut.
    public var cuts: Cuts = []
    public var branching: Branching = .driebeckTomlin
    public var backtracking: Backtracking = .bestLocalBound
    public var simplexMethod: SimplexMethod = .primal
    public var ratioTest: RatioTest = .harris
    public var heuristics: Heuristics = [.simpleRounding]
    /// A known feasible point handed to branch-and-cut as its first incumbent (missing
    /// variables are 0). It is checked against every row and bound first; it needs
    /// `presolve == false`, because the presolver renumbers the columns.
    public var startingPoint: [Variable: Double]?
    /// Scale the rows and columns before solving (GLPK's automatic scaling, as glpsol does
    /// by default). The scaling stays with the problem.
    public var scaling: Bool = false
    /// How much GLPK writes to its log (``Solution/log``).
    public var messageLevel: MessageLevel = .off
    /// Also let GLPK print its log to the terminal as it goes.
    public var echoLog: Bool = false

    public init() {}

    public struct Cuts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let cover = Cuts(rawValue: 1)
        public static let clique = Cuts(rawValue: 2)
        public static let mixedIntegerRounding = Cuts(rawValue: 4)
        public static let gomory = Cuts(rawValue: 8)
        public static let all: Cuts = [.cover, .clique, .mixedIntegerRounding, .gomory]
    }

    public struct Heuristics: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let simpleRounding = Heuristics(rawValue: 1)
        public static let feasibilityPump = Heuristics(rawValue: 2)
        public static let proximitySearch = Heuristics(rawValue: 4)
    }

    public enum Branching: Sendable, Hashable {
        case firstFractional, lastFractional, mostFractional, driebeckTomlin, hybridPseudoCost
        var glpk: Int32 {
            switch self {
            case .firstFractional: GLP_BR_FFV
            case .lastFractional: GLP_BR_LFV
            case .mostFractional: GLP_BR_MFV
            case .driebeckTomlin: GLP_BR_DTH
            case .hybridPseudoCost: GLP_BR_PCH
            }
        }
    }

    public enum Backtracking: Sendable, Hashable {
        case depthFirst, breadthFirst, bestLocalBound, bestProjection
        var glpk: Int32 {
            switch self {
            case .depthFirst: GLP_BT_DFS
            case .breadthFirst: GLP_BT_BFS
            case .bestLocalBound: GLP_BT_BLB
            case .bestProjection: GLP_BT_BPH
            }
        }
    }

    public enum SimplexMethod: Sendable, Hashable {
        /// Primal simplex (GLPK's default).
        case primal
        /// Dual simplex, falling back to primal if it fails.
        case dualThenPrimal
        /// Dual simplex only.
        case dual
        var glpk: Int32 {
            switch self {
            case .primal: GLP_PRIMAL
            case .dualThenPrimal: GLP_DUALP
            case .dual: GLP_DUAL
            }
        }
    }

    public enum RatioTest: Sendable, Hashable {
        case textbook
        /// Harris' two-pass ratio test (GLPK's default).
        case harris
        /// Long-step ("flip-flop") ratio test of the dual simplex; much faster on large
        /// covering models with boxed variables.
        case longStep
        var glpk: Int32 {
            switch self {
            case .textbook: GLP_RT_STD
            case .harris: GLP_RT_HAR
            case .longStep: GLP_RT_FLIP
            }
        }
    }

    public enum MessageLevel: Sendable, Hashable {
        case off, errors, normal, all
        var glpk: Int32 {
            switch self {
            case .off: GLP_MSG_OFF
            case .errors: GLP_MSG_ERR
            case .normal: GLP_MSG_ON
            case .all: GLP_MSG_ALL
            }
        }
    }

    /// GLPK aborts on out-of-range parameters, so they are checked here first.
    func validated() throws -> SolveOptions {
        if let t = timeLimit, !(t.isFinite && t > 0) {
            throw GLPKError.invalidOption("time limit must be a positive number of seconds, got \(t)")
        }
        if !(relativeGap.isFinite && relativeGap >= 0) {
            throw GLPKError.invalidOption("relative gap must be a finite number ≥ 0, got \(relativeGap)")
        }
        if let n = nodeLimit, n < 1 {
            throw GLPKError.invalidOption("node limit must be at least 1, got \(n)")
        }
        if let n = iterationLimit, n < 1 {
            throw GLPKError.invalidOption("iteration limit must be at least 1, got \(n)")
        }
        if startingPoint != nil && presolve {
            throw GLPKError.invalidOption("a starting point needs presolve off: GLPK's presolver renumbers the columns")
        }
        return self
    }
}
