/// The documented range of every number Relief reads, from any entry point (flags, profiles,
/// the catalogue, weights, outcome logs, batch lines, HTTP). Every loader checks its numbers
/// against these and reports a value outside them with its place, the value and this text.
///
/// The ranges are wide enough for any real routine and narrow enough that the model GLPK
/// solves stays well scaled: every coefficient of a row lies within about six orders of
/// magnitude of the others (GLPK works in double precision with relative tolerances around
/// 1e-7, and HiGHS and Gurobi warn past similar spreads), and every time converts to GLPK's
/// millisecond time limit and to whole seconds without overflow.
public struct NumberRange: Sendable, Hashable {
    public let lower: Double
    public let lowerInclusive: Bool
    public let upper: Double
    /// Zero is allowed even though `lower` is above it ("0, or from 0.001 to 1,000").
    public let zeroAllowed: Bool
    /// Whole numbers only.
    public let whole: Bool

    public init(_ lower: Double, _ upper: Double, lowerInclusive: Bool = true, zeroAllowed: Bool = false, whole: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.zeroAllowed = zeroAllowed
        self.whole = whole
    }

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if whole && x.rounded() != x { return false }
        if zeroAllowed && x == 0 { return true }
        return (lowerInclusive ? x >= lower : x > lower) && x <= upper
    }

    /// What a value must be, in words: "a number from 0.1 to 86,400".
    public var expected: String {
        let kind = whole ? "a whole number" : "a number"
        let low = lowerInclusive ? "from \(readable(lower))" : "above \(readable(lower))"
        let range = lowerInclusive ? "\(low) to \(readable(upper))" : "\(low) and at most \(readable(upper))"
        return zeroAllowed ? "0, or \(kind) \(range)" : "\(kind) \(range)"
    }
}

/// Every documented range (README, "Numbers and their ranges").
public enum Limits {
    // Requests (flags, profiles, batch lines, HTTP).
    /// A session's time budget, in minutes: at most a day.
    public static let minutes = NumberRange(0, 1_440, lowerInclusive: false)
    /// A cause's minimum coverage, in points.
    public static let minimum = NumberRange(0.001, 100_000, zeroAllowed: true)
    /// The blend share.
    public static let maxShare = NumberRange(0, 1, lowerInclusive: false)
    /// The cap on distinct exercises.
    public static let maxExercises = NumberRange(1, 1_000, whole: true)
    /// Exercises of one focus (McGill's three, a body region) a session has: a request's `focus`, `focus.csv`.
    public static let focus = NumberRange(0, 5, whole: true)
    /// A solver time limit, in seconds: at most a day (GLPK's limit is milliseconds in an Int32).
    public static let timeLimit = NumberRange(0, 86_400, lowerInclusive: false)
    /// The relative gap at which the search may stop.
    public static let gap = NumberRange(0, 1)

    // The catalogue.
    public static let secondsPerUnit = NumberRange(0.1, 86_400)
    public static let setupSeconds = NumberRange(0, 3_600)
    public static let maxUnits = NumberRange(0.001, 1_000)
    /// The least dose when an exercise is used at all (0: none).
    public static let minUnits = NumberRange(0, 1_000)
    public static let sides = NumberRange(1, 2, whole: true)
    /// The share of a session's time that must be strengthening.
    public static let strengthShare = NumberRange(0, 1)
    /// Points of benefit per unit (also weights files and `relief tune`'s output).
    public static let benefit = NumberRange(0.001, 1_000, zeroAllowed: true)
    public static let defaultMinimum = NumberRange(0.001, 100_000, zeroAllowed: true)
    /// Ids of causes and exercises: at most this many characters.
    public static let idLength = 64

    // Outcome logs and tuning.
    public static let loggedUnits = NumberRange(0, 1_000, lowerInclusive: false)
    public static let response = NumberRange(-100_000, 100_000)
    public static let priorStrength = NumberRange(0, 1_000_000)
    public static let folds = NumberRange(2, 100, zeroAllowed: true, whole: true)
    public static let sessions = NumberRange(1, 1_000_000, whole: true)
    public static let noise = NumberRange(0, 1_000)
    public static let outlierRate = NumberRange(0, 1)

    // The frontier.
    public static let frontierStep = NumberRange(0.01, 1_440)
    public static let frontierBudgets = 1_000

    /// Items in one list of a request (conditions, exclude, include, equipment).
    public static let listItems = 10_000

    // Batch workers.
    public static let threads = NumberRange(1, 256, whole: true)
}

/// How much work one GLPK solve may do when nothing else bounds it: counted in nodes of the
/// branch-and-cut tree, not seconds, so the same input stops at the same place, with the same
/// answer, on a quiet or a loaded machine. A solve that reaches its bound keeps its best point
/// and the plan says it is not proven. Measured on the shipped catalogue and the batch mix
/// (benchmarks/README.md): ordinary stages use tens to a few thousand nodes.
public enum WorkBounds {
    /// Any one solve: on the small models here GLPK creates some 5,000-50,000 nodes a second,
    /// so an unbounded search ends within about a minute.
    public static let nodes = 500_000
    /// The canonical stage (the earliest of equally good routines): a choice between routines
    /// already as good as each other.
    public static let canonicalNodes = 20_000
}

/// A number for messages: whole numbers with thousands separators, others as Swift prints
/// them. Total on every Double (never traps).
func readable(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == x.rounded(), abs(x) < 1e15 {
        let digits = String(Int64(abs(x)))
        var grouped = ""
        for (k, ch) in digits.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return (x < 0 ? "-" : "") + String(grouped.reversed())
    }
    return "\(x)"
}
