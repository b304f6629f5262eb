internal import GLPK

/// Every GLPK setting the library solves with, one named preset per kind of solve, so a change
/// of policy is a change of this file (as OR-Tools MathOpt keeps its solve parameters apart from
/// its models). Each preset says why it is what it is; the measurements are in
/// benchmarks/README.md. Every solve in the library takes its options from here.
///
/// The presets that a person waits for carry the request's time limit (nil: none), the stop
/// signal of the session or programme (a server's deadline, a client gone) and the work bound
/// (``WorkBounds``), so no solve runs unbounded.
enum SolverPolicy {
    /// GLPK's defaults within the work bounds. Measured on the shipped catalogue: cover and
    /// MIR cuts halve glpsol's time on the exported model but made the in-process solves about
    /// twice as slow, and no branching, backtracking or simplex option won consistently.
    static func standard(timeLimit: Double?, stop: Cancellation?, nodeLimit: Int = WorkBounds.nodes) -> SolveOptions {
        var o = SolveOptions()
        o.timeLimit = timeLimit
        o.nodeLimit = nodeLimit
        o.stop = stop?.signal
        return o
    }

    /// The search for the shortest routine. Large problems (over 1,000 usable exercises) are
    /// decided by the root LP: the dual simplex with the long-step ratio test solves it far
    /// faster; small ones keep GLPK's defaults. `relativeGap` is the request's own tolerance.
    static func shortestRoutine(timeLimit: Double?, stop: Cancellation?, relativeGap: Double, usable: Int) -> SolveOptions {
        var o = standard(timeLimit: timeLimit, stop: stop)
        o.relativeGap = relativeGap
        if usable > 1_000 {
            o.simplexMethod = .dualThenPrimal
            o.ratioTest = .longStep
        }
        return o
    }

    /// The exact re-check when a routine GLPK did not find beats its "optimal" one: the same
    /// search again with the presolver and scaling.
    static func recheck(_ options: SolveOptions) -> SolveOptions {
        var o = options
        o.presolve = true
        o.scaling = true
        return o
    }

    /// The routine within a budget too short for every minimum that maximises the weakest
    /// cause's fraction. Measured on 300 generated requests: hybrid pseudo-cost branching
    /// halves this stage, and GLPK's presolver halves it again (median 27 → 15 ms on 150
    /// over-budget requests of the batch mix, the same routines): there is no starting point
    /// to keep here.
    static func weakestCause(timeLimit: Double?, stop: Cancellation?) -> SolveOptions {
        var o = standard(timeLimit: timeLimit, stop: stop)
        o.branching = .hybridPseudoCost
        o.presolve = true
        return o
    }

    /// The shortest routine at the weakest fraction found, from that routine: MIR cuts make this
    /// stage 10-100× faster.
    static func shortestAtFraction(timeLimit: Double?, stop: Cancellation?) -> SolveOptions {
        var o = standard(timeLimit: timeLimit, stop: stop)
        o.cuts = [.mixedIntegerRounding]
        return o
    }

    /// One week of a programme (two sessions and the week's rules): MIR cuts, as for the shortest
    /// routine at a fraction, whose rows the week's coverage rows resemble.
    static func week(timeLimit: Double?, stop: Cancellation?) -> SolveOptions {
        var o = standard(timeLimit: timeLimit, stop: stop)
        o.cuts = [.mixedIntegerRounding]
        return o
    }

    /// The LP relaxation that bounds a week's best coverage level from above: GLPK's defaults,
    /// stopped with the programme.
    static func weekBound(stop: Cancellation?) -> SolveOptions {
        var o = SolveOptions()
        o.stop = stop?.signal
        return o
    }

    /// The comparison strategies' "one technique" model (benchmarks only): the weakest cause's
    /// fraction with hybrid pseudo-cost branching, then (``comparisonShortest``) the shortest
    /// routine at it with MIR cuts too, as the planner's own over-budget stages.
    static let comparisonWeakest: SolveOptions = {
        var o = SolveOptions()
        o.branching = .hybridPseudoCost
        return o
    }()

    static let comparisonShortest: SolveOptions = {
        var o = comparisonWeakest
        o.cuts = [.mixedIntegerRounding]
        return o
    }()

    /// The tuner's least-absolute-deviations LPs: wide and sparse, solved fastest by the dual
    /// simplex with the long-step ratio test.
    static let tuningFit: SolveOptions = {
        var o = SolveOptions()
        o.simplexMethod = .dualThenPrimal
        o.ratioTest = .longStep
        return o
    }()

    /// The dose-response fit: a handful of weeks and modalities, GLPK's defaults.
    static let doseResponseFit = SolveOptions()
}
