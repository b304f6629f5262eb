import CGLPK

// The generic pieces of bound-and-fix methods (reduced-cost fixing, core problems): the LP
// relaxation of a MIP with its duals, and bound changes that last for one piece of work.

extension Problem {
    /// Solves the LP relaxation of the problem (every integer and binary variable treated as
    /// continuous, the kinds themselves unchanged) with the simplex method, from the standard
    /// basis. An optimal answer carries the row duals and reduced costs, which give a lower
    /// bound for every integer point (for a minimisation): the relaxation's optimum, or a
    /// Lagrangian bound built from the duals. The point is checked like every other point.
    ///
    /// The corresponding C function is `glp_simplex`.
    public func solveRelaxation(_ options: SolveOptions = SolveOptions()) throws -> Solution {
        checkThread()
        var options = try options.validated()
        options.startingPoint = nil
        glp_std_basis(prob)
        let clock = ContinuousClock()
        let began = clock.now
        var (outcome, log) = withTerminalCaptured(echo: options.echoLog) { solveLP(options) }
        if outcome.termination == .numericalFailure {
            outcome = retried(after: outcome, log: &log, options: options, clock: clock, began: began) { solveLP($0) }
        }
        let elapsed = clock.now - began
        return Solution(
            termination: outcome.termination, isMIP: false,
            objectiveValue: outcome.values == nil ? nil : outcome.objective,
            bestBound: outcome.bound, glpkStatus: outcome.status, returnCode: outcome.code,
            log: log, notes: outcome.notes, startingPointAccepted: nil, solveSeconds: elapsed.seconds,
            problemID: id, direction: direction, values: outcome.values, activities: outcome.activities,
            rowDuals: outcome.rowDuals, columnDuals: outcome.columnDuals)
    }

    /// Runs `body` with some variables' bounds changed (fixings: both bounds equal; or any
    /// tightening), and puts every changed bound back afterwards, whether `body` returns or
    /// throws. Problems are re-used across requests, so a fixing must never outlive the work it
    /// was made for. The basis is reset on the way out, as the bounds it was built on are gone.
    public func withBounds<T>(_ changes: [(Variable, lower: Double?, upper: Double?)],
                              _ body: () throws -> T) throws -> T {
        checkThread()
        var saved: [(Variable, Double?, Double?)] = []
        saved.reserveCapacity(changes.count)
        defer {
            for (variable, lower, upper) in saved.reversed() {
                // The saved bounds were valid when read, so putting them back cannot fail.
                try? setBounds(variable, lower: lower, upper: upper)
            }
            if !saved.isEmpty { glp_std_basis(prob) }
        }
        for (variable, lower, upper) in changes {
            let old = try bounds(of: variable)
            try setBounds(variable, lower: lower, upper: upper)
            saved.append((variable, old.lower, old.upper))
        }
        return try body()
    }
}
