/// Why a call into the wrapper was refused or failed.
///
/// A model that GLPK would abort on (an index out of range, a NaN coefficient, fractional
/// bounds on an integer variable, ...) is refused with one of these before any C call is
/// made. An infeasible or unbounded model is *not* an error: it is a ``Solution`` whose
/// ``Solution/termination`` says so.
public enum GLPKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A coefficient, bound or option was NaN or infinite where a finite number is needed.
    case nonFinite(what: String, value: Double)
    /// Lower bound above upper bound.
    case invertedBounds(what: String, lower: Double, upper: Double)
    /// A bound on an integer variable was not a whole number.
    case fractionalIntegerBound(what: String, value: Double)
    /// A name GLPK cannot store (over 255 bytes or containing a control character).
    case invalidName(String, reason: String)
    /// A handle that belongs to another problem, or whose index is out of range.
    case foreignHandle(String)
    /// A solver option outside its range.
    case invalidOption(String)
    /// The starting incumbent handed to branch-and-cut was not a feasible point.
    case invalidStartingPoint(String)
    /// Sensitivity analysis asked for where there is no optimal basic solution.
    case noOptimalBasis(String)
    /// A file could not be written or read; `log` is GLPK's own text.
    case file(path: String, reason: String, log: String)

    public var description: String {
        switch self {
        case let .nonFinite(what, value): "\(what) must be a finite number, got \(value)"
        case let .invertedBounds(what, lower, upper): "\(what): lower bound \(lower) is above upper bound \(upper)"
        case let .fractionalIntegerBound(what, value): "\(what) is an integer variable, so its bounds must be whole numbers, got \(value)"
        case let .invalidName(name, reason): "invalid name \"\(name.prefix(40))\": \(reason)"
        case let .foreignHandle(what): "\(what) does not belong to this problem"
        case let .invalidOption(what): "invalid solver option: \(what)"
        case let .invalidStartingPoint(what): "the starting point is not feasible: \(what)"
        case let .noOptimalBasis(what): "no optimal basic solution to analyse: \(what)"
        case let .file(path, reason, log):
            log.isEmpty ? "\(path): \(reason)" : "\(path): \(reason)\n\(log)"
        }
    }
}
