import CGLPK

/// State shared with GLPK's branch-and-cut callback through its `cb_info` pointer.
final class SearchContext {
    let start: [Double]?          // 1-based, as glp_ios_heur_sol wants it
    var startOffered = false
    var startAccepted: Bool?
    var bestBound: Double?
    init(start: [Double]?) { self.start = start }
}

private let branchAndCutCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
    guard let tree, let info else { return }
    let context = Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue()
    let best = glp_ios_best_node(tree)
    if best != 0 { context.bestBound = glp_ios_node_bound(tree, best) }
    if glp_ios_reason(tree) == GLP_IHEUR, let start = context.start, !context.startOffered {
        context.startOffered = true
        context.startAccepted = start.withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress) } == 0
    }
}

extension Problem {
    /// Solves the problem: the simplex method for an LP; for a MIP, the LP relaxation and
    /// then branch-and-cut (or GLPK's presolver and branch-and-cut when `presolve` is on).
    ///
    /// Throws only when the call itself is invalid (an option out of range, an infeasible
    /// starting point). An infeasible, unbounded or time-limited model is a ``Solution``.
    /// Every point GLPK reports is checked against all rows, bounds and integrality before
    /// it is returned; a point from the presolver that fails the check is solved again
    /// without the presolver (GLPK 5.0's MIP presolver has returned such points as optimal).
    ///
    /// The corresponding C functions are `glp_simplex` and `glp_intopt`.
    public func solve(_ options: SolveOptions = SolveOptions()) throws -> Solution {
        checkThread()
        let options = try options.validated()
        var start: [Double]?
        if let point = options.startingPoint {
            start = try checkedStartingPoint(point)
        }
        let clock = ContinuousClock()
        let began = clock.now
        if options.scaling && variableCount > 0 && constraintCount > 0 {
            _ = withTerminalCaptured { glp_scale_prob(prob, GLP_SF_AUTO) }
        }
        var (solution, log) = withTerminalCaptured(echo: options.echoLog) {
            isMIP ? solveMIP(options, start: start, clock: clock, began: began)
                  : solveLP(options)
        }
        if solution.termination == .numericalFailure && options.presolve && solution.notes.contains(where: { $0.hasPrefix("rejected") }) {
            var retry = options
            retry.presolve = false
            let (again, moreLog) = withTerminalCaptured(echo: options.echoLog) {
                isMIP ? solveMIP(retry, start: nil, clock: clock, began: clock.now) : solveLP(retry)
            }
            solution = again
            solution.notes = solution.notes + ["GLPK's presolver returned a point that fails the model's rows or bounds (\(solution.notes.first ?? "")); solved again without the presolver"]
            log += moreLog
        }
        let elapsed = clock.now - began
        return Solution(
            termination: solution.termination, isMIP: isMIP,
            objectiveValue: solution.values == nil ? nil : solution.objective,
            bestBound: solution.bound, glpkStatus: solution.status, returnCode: solution.code,
            log: log, notes: solution.notes, startingPointAccepted: solution.startAccepted,
            solveSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            problemID: id, direction: direction, values: solution.values, activities: solution.activities,
            rowDuals: solution.rowDuals, columnDuals: solution.columnDuals)
    }

    /// The pieces of a ``Solution`` before it is assembled.
    struct RawOutcome {
        var termination: Termination
        var status: SolutionStatus
        var code: ReturnCode
        var values: [Double]? = nil
        var activities: [Double]? = nil
        var objective: Double = 0
        var bound: Double? = nil
        var rowDuals: [Double]? = nil
        var columnDuals: [Double]? = nil
        var notes: [String] = []
        var startAccepted: Bool? = nil
    }

    private func simplexParameters(_ options: SolveOptions, timeLimitMs: Int32?) -> glp_smcp {
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = options.messageLevel.glpk
        smcp.meth = options.simplexMethod.glpk
        smcp.r_test = options.ratioTest.glpk
        // GLPK's LP presolver refuses an empty problem (GLP_EFAIL); there is nothing to presolve.
        smcp.presolve = options.presolve && constraintCount > 0 && variableCount > 0 ? GLP_ON : GLP_OFF
        if let timeLimitMs { smcp.tm_lim = timeLimitMs }
        return smcp
    }

    private static func milliseconds(_ seconds: Double) -> Int32 {
        Int32(max(1, min(Double(Int32.max), (seconds * 1000).rounded(.up))))
    }

    private func solveLP(_ options: SolveOptions) -> RawOutcome {
        var smcp = simplexParameters(options, timeLimitMs: options.timeLimit.map(Self.milliseconds))
        let code = ReturnCode(rawValue: glp_simplex(prob, &smcp))
        let status = SolutionStatus(rawValue: glp_get_status(prob))
        var outcome = RawOutcome(termination: .numericalFailure, status: status, code: code)
        switch code {
        case .success:
            switch status {
            case .optimal: outcome.termination = .optimal
            case .noFeasible: outcome.termination = .infeasible
            case .unbounded: outcome.termination = .unbounded
            default: outcome.notes.append("glp_simplex finished with status \(status)")
            }
        case .noPrimalFeasible: outcome.termination = .infeasible
        case .noDualFeasible: outcome.termination = .infeasibleOrUnbounded
        case .timeLimit: outcome.termination = .timeLimit
        case .iterationLimit: outcome.termination = .iterationLimit
        default: outcome.notes.append("glp_simplex returned \(code)")
        }
        // A feasible point is reported for an optimal LP, or a time-limited one that was
        // primal feasible when it stopped.
        let primalFeasible = glp_get_prim_stat(prob) == GLP_FEAS
        guard (code == .success || code == .timeLimit || code == .iterationLimit), primalFeasible,
              outcome.termination != .infeasible else { return outcome }
        guard accept((0..<variableCount).map { glp_get_col_prim(prob, Int32($0 + 1)) }, integral: false, into: &outcome) else {
            return outcome
        }
        outcome.objective = glp_get_obj_val(prob)
        if outcome.termination == .optimal {
            outcome.bound = outcome.objective
            if glp_get_dual_stat(prob) == GLP_FEAS {
                outcome.rowDuals = (0..<constraintCount).map { glp_get_row_dual(prob, Int32($0 + 1)) }
                outcome.columnDuals = (0..<variableCount).map { glp_get_col_dual(prob, Int32($0 + 1)) }
                if smcp.presolve == GLP_OFF { markOptimalBasis() }
            }
        }
        return outcome
    }

    private func solveMIP(_ options: SolveOptions, start: [Double]?, clock: ContinuousClock,
                          began: ContinuousClock.Instant) -> RawOutcome {
        func remainingMs() -> Int32? {
            guard let limit = options.timeLimit else { return nil }
            let spent = clock.now - began
            let spentSeconds = Double(spent.components.seconds) + Double(spent.components.attoseconds) * 1e-18
            return Self.milliseconds(max(0.001, limit - spentSeconds))
        }
        var rootBound: Double?
        if !options.presolve {
            var smcp = simplexParameters(options, timeLimitMs: remainingMs())
            smcp.presolve = GLP_OFF
            let code = ReturnCode(rawValue: glp_simplex(prob, &smcp))
            let status = SolutionStatus(rawValue: glp_get_status(prob))
            guard code == .success, status == .optimal else {
                var outcome = RawOutcome(termination: .numericalFailure, status: status, code: code)
                switch (code, status) {
                case (.success, .noFeasible): outcome.termination = .infeasible
                case (.success, .unbounded): outcome.termination = .infeasibleOrUnbounded
                case (.timeLimit, _): outcome.termination = .timeLimit
                case (.iterationLimit, _): outcome.termination = .iterationLimit
                default: outcome.notes.append("the LP relaxation ended with \(code), \(status)")
                }
                return outcome
            }
            rootBound = glp_get_obj_val(prob)
        }

        let context = SearchContext(start: start)
        let info = Unmanaged.passRetained(context)
        defer { info.release() }
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = options.messageLevel.glpk
        iocp.br_tech = options.branching.glpk
        iocp.bt_tech = options.backtracking.glpk
        iocp.mip_gap = options.relativeGap
        iocp.presolve = options.presolve ? GLP_ON : GLP_OFF
        iocp.cov_cuts = options.cuts.contains(.cover) ? GLP_ON : GLP_OFF
        iocp.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF
        iocp.mir_cuts = options.cuts.contains(.mixedIntegerRounding) ? GLP_ON : GLP_OFF
        iocp.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
        iocp.sr_heur = options.heuristics.contains(.simpleRounding) ? GLP_ON : GLP_OFF
        iocp.fp_heur = options.heuristics.contains(.feasibilityPump) ? GLP_ON : GLP_OFF
        iocp.ps_heur = options.heuristics.contains(.proximitySearch) ? GLP_ON : GLP_OFF
        if let ms = remainingMs() { iocp.tm_lim = ms }
        iocp.cb_func = branchAndCutCallback
        iocp.cb_info = info.toOpaque()

        let code = ReturnCode(rawValue: glp_intopt(prob, &iocp))
        let status = SolutionStatus(rawValue: glp_mip_status(prob))
        var outcome = RawOutcome(termination: .numericalFailure, status: status, code: code)
        outcome.startAccepted = context.startAccepted
        switch code {
        case .success:
            switch status {
            case .optimal: outcome.termination = .optimal
            case .noFeasible: outcome.termination = .infeasible
            default: outcome.notes.append("glp_intopt finished with status \(status)")
            }
        case .noPrimalFeasible: outcome.termination = .infeasible
        case .noDualFeasible: outcome.termination = .infeasibleOrUnbounded
        case .mipGapReached: outcome.termination = .gapLimit
        case .timeLimit: outcome.termination = .timeLimit
        case .iterationLimit: outcome.termination = .iterationLimit
        default: outcome.notes.append("glp_intopt returned \(code)")
        }
        guard status == .optimal || status == .feasible else {
            outcome.bound = context.bestBound ?? rootBound
            return outcome
        }
        guard accept((0..<variableCount).map { glp_mip_col_val(prob, Int32($0 + 1)) }, integral: true, into: &outcome) else {
            return outcome
        }
        outcome.objective = glp_mip_obj_val(prob)
        if outcome.termination == .optimal {
            outcome.bound = outcome.objective
        } else {
            // The best open node's bound, or the root relaxation's: both are valid bounds.
            outcome.bound = context.bestBound ?? rootBound
        }
        return outcome
    }

    /// Checks a point GLPK reported against the model; a point that passes becomes the
    /// outcome's (integer variables rounded to their whole values), one that fails turns the
    /// outcome into a numerical failure that says why.
    private func accept(_ reported: [Double], integral: Bool, into outcome: inout RawOutcome) -> Bool {
        var values = reported
        let activities = activities(of: values)
        if let violation = violation(of: values, activities: activities, integral: integral) {
            outcome.termination = .numericalFailure
            outcome.notes.append("rejected: \(violation)")
            return false
        }
        if integral { for j in values.indices where kinds[j] != .continuous { values[j] = values[j].rounded() } }
        outcome.values = values
        outcome.activities = activities
        return true
    }

    func activities(of values: [Double]) -> [Double] {
        (0..<constraintCount).map { i in
            var sum = 0.0
            let columns = rowColumns[i], coefficients = rowValues[i]
            for k in columns.indices { sum += coefficients[k] * values[Int(columns[k]) - 1] }
            return sum
        }
    }

    /// The first way `values` fails the model, or nil when it satisfies every row, bound and
    /// integrality requirement (to a relative tolerance of 1e-6, integrality to 1e-5).
    func violation(of values: [Double], integral: Bool) -> String? {
        violation(of: values, activities: activities(of: values), integral: integral)
    }

    func violation(of values: [Double], activities: [Double], integral: Bool) -> String? {
        func exceeds(_ a: Double, _ b: Double) -> Bool { a - b > 1e-6 * max(1, abs(b)) }
        for j in values.indices {
            let x = values[j]
            if !x.isFinite { return "variable #\(j) has value \(x)" }
            if let l = columnLower[j], exceeds(l, x) { return "variable #\(j) = \(x) is below its lower bound \(l)" }
            if let u = columnUpper[j], exceeds(x, u) { return "variable #\(j) = \(x) is above its upper bound \(u)" }
            if integral, kinds[j] != .continuous, abs(x - x.rounded()) > 1e-5 {
                return "integer variable #\(j) has fractional value \(x)"
            }
        }
        for (i, a) in activities.enumerated() {
            if let l = rowLower[i], exceeds(l, a) { return "constraint #\(i) has activity \(a) below its lower bound \(l)" }
            if let u = rowUpper[i], exceeds(a, u) { return "constraint #\(i) has activity \(a) above its upper bound \(u)" }
        }
        return nil
    }

    private func checkedStartingPoint(_ point: [Variable: Double]) throws -> [Double] {
        var values = [Double](repeating: 0, count: variableCount)
        for (variable, value) in point {
            _ = try column(variable)
            try Self.finite(value, "starting value of \(variable)")
            values[variable.index] = value
        }
        if let violation = violation(of: values, integral: true) {
            throw GLPKError.invalidStartingPoint(violation)
        }
        return [0] + values
    }
}
