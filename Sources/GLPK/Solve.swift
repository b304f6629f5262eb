import CGLPK
import Synchronization

/// A flag another thread sets to stop a running branch-and-cut search (a client went away, a
/// server shuts down). The search checks it at every callback and ends with
/// ``Termination/stopped``, keeping its best point so far. Simplex solves are not interrupted:
/// on the models here they take milliseconds.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func stop() { flag.store(true, ordering: .relaxed) }
    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}

/// State shared with GLPK's branch-and-cut callback through its `cb_info` pointer.
final class SearchContext {
    let start: [Double]?          // 1-based, as glp_ios_heur_sol wants it
    var startOffered = false
    var startAccepted: Bool?
    var bestBound: Double?
    let stop: StopSignal?
    let nodeLimit: Int32?
    var nodeLimitReached = false
    var nodes = 0
    init(start: [Double]?, stop: StopSignal?, nodeLimit: Int?) {
        self.start = start
        self.stop = stop
        self.nodeLimit = nodeLimit.map { Int32(clamping: $0) }
    }
}

private let branchAndCutCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
    guard let tree, let info else { return }
    let context = Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue()
    if context.stop?.isStopped == true {
        glp_ios_terminate(tree)
        return
    }
    let best = glp_ios_best_node(tree)
    if best != 0 { context.bestBound = glp_ios_node_bound(tree, best) }
    var created: Int32 = 0
    glp_ios_tree_size(tree, nil, nil, &created)
    context.nodes = Int(created)
    if let limit = context.nodeLimit {
        if created > limit {
            context.nodeLimitReached = true
            glp_ios_terminate(tree)
            return
        }
    }
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
        if solution.termination == .numericalFailure {
            solution = retried(after: solution, log: &log, options: options, clock: clock, began: began) { retry in
                isMIP ? solveMIP(retry, start: nil, clock: clock, began: clock.now) : solveLP(retry)
            }
        }
        let elapsed = clock.now - began
        var result = Solution(
            termination: solution.termination, isMIP: isMIP,
            objectiveValue: solution.values == nil ? nil : solution.objective,
            bestBound: solution.bound, glpkStatus: solution.status, returnCode: solution.code,
            log: log, notes: solution.notes, startingPointAccepted: solution.startAccepted,
            solveSeconds: elapsed.seconds,
            problemID: id, direction: direction, values: solution.values, activities: solution.activities,
            rowDuals: solution.rowDuals, columnDuals: solution.columnDuals)
        result.nodes = solution.nodes
        return result
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
        var nodes: Int? = nil
        /// Why a reported point was refused (it failed the model's rows, bounds or integrality).
        var rejection: String? = nil

        /// The one place a GLPK return code and solution status become a termination, for
        /// every solver call; anything unexpected is a numerical failure with a note.
        mutating func settle(_ call: SolverCall) {
            switch (code, status) {
            case (.success, .optimal): termination = .optimal
            case (.success, .noFeasible), (.noPrimalFeasible, _): termination = .infeasible
            case (.success, .unbounded): termination = call == .simplex ? .unbounded : .infeasibleOrUnbounded
            case (.noDualFeasible, _): termination = .infeasibleOrUnbounded
            case (.mipGapReached, _): termination = .gapLimit
            case (.timeLimit, _): termination = .timeLimit
            case (.iterationLimit, _): termination = .iterationLimit
            case (.stoppedByApplication, _): termination = .stopped
            case (.success, _):
                termination = .numericalFailure
                notes.append("\(call.name) finished with status \(status)")
            default:
                termination = .numericalFailure
                notes.append("\(call.name) returned \(code)\(call == .rootRelaxation ? " on the LP relaxation, status \(status)" : "")")
            }
        }
    }

    /// The GLPK routine a return code and status came from.
    enum SolverCall {
        case simplex, rootRelaxation, branchAndCut
        var name: String { self == .branchAndCut ? "glp_intopt" : "glp_simplex" }
    }

    /// A numerical failure is not an answer: GLPK's more robust settings (``robustRetries(_:)``)
    /// are tried in turn from the standard basis, each within what is left of the time limit,
    /// until one does not fail numerically. The one retry ladder of every solve, MIP, LP and
    /// relaxation alike; `solve` runs one attempt with the settings given.
    func retried(after failure: RawOutcome, log: inout String, options: SolveOptions, clock: ContinuousClock,
                 began: ContinuousClock.Instant, _ solve: (SolveOptions) -> RawOutcome) -> RawOutcome {
        var solution = failure
        for (what, retry) in robustRetries(options) {
            var remaining = retry
            if let limit = options.timeLimit {
                let left = limit - (clock.now - began).seconds
                if left <= 0.001 { break }
                remaining.timeLimit = left
            }
            if retry.scaling { _ = withTerminalCaptured { glp_scale_prob(prob, GLP_SF_AUTO) } }
            glp_std_basis(prob)
            let (again, moreLog) = withTerminalCaptured(echo: options.echoLog) { solve(remaining) }
            log += moreLog
            let why = solution.rejection ?? solution.notes.last ?? "\(solution.code)"
            var notes = solution.notes + ["GLPK failed numerically (\(why)); solved again with \(what)"]
            notes += again.notes
            solution = again
            solution.notes = notes
            if solution.termination != .numericalFailure { break }
        }
        if options.scaling == false { glp_unscale_prob(prob) }
        return solution
    }

    /// The settings tried, in order, after a numerical failure.
    private func robustRetries(_ options: SolveOptions) -> [(String, SolveOptions)] {
        var flipped = options
        flipped.presolve.toggle()
        var scaled = options
        scaled.scaling = true
        scaled.simplexMethod = .dualThenPrimal
        scaled.presolve = false
        var textbook = scaled
        textbook.ratioTest = .textbook
        textbook.simplexMethod = .primal
        return [(options.presolve ? "the presolver off" : "the presolver on", flipped),
                ("scaling and the dual simplex", scaled),
                ("scaling and the textbook ratio test", textbook)]
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
        if let n = options.iterationLimit { smcp.it_lim = Int32(clamping: n) }
        return smcp
    }

    private static func milliseconds(_ seconds: Double) -> Int32 {
        Int32(max(1, min(Double(Int32.max), (seconds * 1000).rounded(.up))))
    }

    func solveLP(_ options: SolveOptions) -> RawOutcome {
        var smcp = simplexParameters(options, timeLimitMs: options.timeLimit.map(Self.milliseconds))
        let code = ReturnCode(rawValue: glp_simplex(prob, &smcp))
        let status = SolutionStatus(rawValue: glp_get_status(prob))
        var outcome = RawOutcome(termination: .numericalFailure, status: status, code: code)
        outcome.settle(.simplex)
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
            let spentSeconds = spent.seconds
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
                outcome.settle(.rootRelaxation)
                return outcome
            }
            rootBound = glp_get_obj_val(prob)
        }

        let context = SearchContext(start: start, stop: options.stop, nodeLimit: options.nodeLimit)
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
        outcome.nodes = context.nodes
        outcome.settle(.branchAndCut)
        if context.nodeLimitReached && outcome.termination == .stopped { outcome.termination = .nodeLimit }
        guard status == .optimal || status == .feasible else {
            outcome.bound = context.bestBound ?? rootBound
            return outcome
        }
        guard accept((0..<variableCount).map { glp_mip_col_val(prob, Int32($0 + 1)) }, integral: true, into: &outcome) else {
            return outcome
        }
        // The objective of the point returned (re-optimised points differ from GLPK's value).
        let reportedObjective = glp_mip_obj_val(prob)
        outcome.objective = objectiveValue(of: outcome.values ?? [])
        if outcome.termination == .optimal && abs(outcome.objective - reportedObjective) > 1e-6 * max(1, abs(reportedObjective)) {
            // GLPK proved `reportedObjective` optimal for a point that needed repair: the repaired
            // point is within |difference| of the optimum, not proven optimal.
            outcome.termination = .gapLimit
            outcome.bound = reportedObjective
            outcome.notes.append("the repaired point's objective \(outcome.objective) differs from GLPK's proven \(reportedObjective): reported as within that gap, not optimal")
        } else if outcome.termination == .optimal {
            outcome.bound = outcome.objective
        } else {
            // The best open node's bound, or the root relaxation's: both are valid bounds.
            outcome.bound = context.bestBound ?? rootBound
        }
        return outcome
    }

    /// Checks a point GLPK reported against the model. Integer variables are rounded to their
    /// whole values first, and the rounded point is what is checked: GLPK accepts a binary at
    /// 1e-5 as integral, and a continuous amount linked to it (x ≤ U·y) may ride on that
    /// fraction. When the rounded point fails and the problem has continuous variables, they
    /// are re-optimised with every integer variable fixed at its rounded value (an LP); a
    /// point that still fails turns the outcome into a numerical failure that says why.
    private func accept(_ reported: [Double], integral: Bool, into outcome: inout RawOutcome) -> Bool {
        var values = reported
        if integral { for j in values.indices where kinds[j] != .continuous { values[j] = values[j].rounded() } }
        var activities = activities(of: values)
        if let violation = violation(of: values, activities: activities, integral: integral) {
            guard integral, let polished = polishContinuous(values) else {
                outcome.termination = .numericalFailure
                outcome.rejection = violation
                outcome.notes.append("rejected: \(violation)")
                return false
            }
            values = polished
            activities = self.activities(of: values)
            outcome.notes.append("the solver's point failed the model once its integers were rounded (\(violation)); its continuous variables were re-optimised with the integers fixed")
        }
        outcome.values = values
        outcome.activities = activities
        return true
    }

    /// The best continuous completion of a point whose integer variables are fixed at their
    /// values, or nil when there is none (or no continuous variable to move). Bounds are
    /// restored on every path.
    private func polishContinuous(_ values: [Double]) -> [Double]? {
        guard kinds.contains(.continuous), kinds.contains(where: { $0 != .continuous }) else { return nil }
        defer {
            for j in kinds.indices where kinds[j] != .continuous {
                Self.setBounds(lower: columnLower[j], upper: columnUpper[j]) { glp_set_col_bnds(prob, Int32(j + 1), $0, $1, $2) }
            }
            glp_std_basis(prob)
        }
        for j in kinds.indices where kinds[j] != .continuous {
            glp_set_col_bnds(prob, Int32(j + 1), GLP_FX, values[j], values[j])
        }
        glp_std_basis(prob)
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        guard glp_simplex(prob, &smcp) == 0, glp_get_status(prob) == GLP_OPT else { return nil }
        var polished = values
        for j in kinds.indices where kinds[j] == .continuous { polished[j] = glp_get_col_prim(prob, Int32(j + 1)) }
        return violation(of: polished, integral: true) == nil ? polished : nil
    }

    /// The objective at a point (one value per variable, in the order added), from the
    /// Swift-side copy of the model.
    public func objectiveValue(of values: [Double]) -> Double {
        var sum = objectiveConstant
        for j in values.indices where j < objective.count { sum += objective[j] * values[j] }
        return sum
    }

    func activities(of values: [Double]) -> [Double] {
        (0..<constraintCount).map { i in
            var sum = 0.0
            let columns = rowColumns[i], coefficients = rowValues[i]
            for k in columns.indices { sum += coefficients[k] * values[Int(columns[k]) - 1] }
            return sum
        }
    }

    /// The first way a point (one value per variable, in the order added) fails the model, or
    /// nil when it satisfies every row, bound and integrality requirement (rows and bounds to
    /// a relative tolerance of 1e-6, integrality to 1e-5): the same check every solution passes.
    public func violation(of values: [Double]) -> String? {
        checkThread()
        guard values.count == variableCount else { return "the point has \(values.count) values for \(variableCount) variables" }
        return violation(of: values, integral: true)
    }

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

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
