internal import GLPK

/// Builds routines from a catalogue.
///
/// Planning is synchronous and creates its GLPK problems on the calling thread (GLPK's state
/// is per thread); a `Planner` is a value and may be used from several threads at once.
public struct Planner: Sendable {
    public let catalogue: Catalogue
    /// Numbers of a catalogue built in code that lie outside ``Limits`` (the CSV loader
    /// refuses them at load): such a catalogue plans nothing.
    let catalogueProblems: [RequestProblem]
    /// How the shortest routine is searched for; the routine is the same whichever is used.
    public var strategy: SolveStrategy
    /// The core search's working-set and core sizes (tests shrink them).
    var coreSizes = CoreSearch.Sizes()
    /// Answers kept for requests that come again (``ReuseCache``), shared by every copy of
    /// this planner and every session planning with it; nil plans every request afresh.
    /// The answers are the same either way (tested byte for byte).
    public var reuse: ReuseCache? = ReuseCache()
    /// The catalogue's progression ladders (``Exercise/harder``), found once.
    let ladders: Ladders

    public init(catalogue: Catalogue, strategy: SolveStrategy = .auto) {
        self.catalogue = catalogue
        self.strategy = strategy
        catalogueProblems = catalogue.rangeProblems()
        ladders = Ladders(catalogue: catalogue)
    }

    /// Whether a request with this many usable exercises is searched with ``CoreSearch``.
    /// A catalogue with focuses (``Focus``) is always searched in full: the core search's
    /// bound prices the causes' rows only, and catalogues with focus.csv are the small,
    /// hand-made kind the full search solves in milliseconds.
    func usesCore(usable: Int) -> Bool {
        if !catalogue.focuses.isEmpty { return false }
        switch strategy {
        case .full: return false
        case .core: return true
        case .auto: return usable > CoreSearch.autoThreshold
        }
    }

    /// The minimum per cause for a request, in catalogue order.
    public func minimums(for request: PlanRequest) -> [Double] {
        catalogue.causes.map { request.minimums[$0.id] ?? $0.defaultMinimum }
    }

    /// Which exercises a session for this request leaves out, with every reason for each: what
    /// is unsafe, needs missing equipment or was excluded by name (``exclusions(for:)``), and
    /// the harder steps of each ladder above its easiest usable one (``harderSteps(above:request:)``).
    public func sessionExclusions(for request: PlanRequest) -> [Exclusion] {
        let safety = exclusions(for: request)
        let steps = harderSteps(above: safety, request: request)
        // A catalogue without ladders (the generated, large ones) pays nothing more per request.
        guard !steps.isEmpty else { return safety }
        return (safety + steps).sorted {
            (catalogue.exerciseIndex($0.id) ?? 0) < (catalogue.exerciseIndex($1.id) ?? 0)
        }
    }

    /// The harder steps of every progression ladder above its easiest step that `excluded`
    /// leaves usable. A first session starts at the bottom of each ladder: the shortest routine
    /// would otherwise take a harder step whenever it is no longer than the easier one (the
    /// single-leg bridge for a glute bridge), which is no way to start. A step the request
    /// includes by name stays. Programmes choose their own steps week by week
    /// (``ProgrammeState/levels``) and use ``exclusions(for:)``.
    func harderSteps(above excluded: [Exclusion], request: PlanRequest) -> [Exclusion] {
        laddersFromBottom(above: excluded, request: request).flatMap { first, later in
            later.map { e in
                let ex = catalogue.exercises[e]
                return Exclusion(id: ex.id, name: ex.name, reasons: [Exclusion.harderPrefix + catalogue.exercises[first].name.inSentence])
            }
        }
    }

    /// Each ladder's easiest step that `excluded` leaves usable, and the usable steps above it
    /// that the request does not include (catalogue indices, easiest first).
    func laddersFromBottom(above excluded: [Exclusion], request: PlanRequest) -> [(first: Int, later: [Int])] {
        let out = Set(excluded.map(\.id))
        return ladders.chains.compactMap { chain in
            guard let bottom = chain.firstIndex(where: { !out.contains(catalogue.exercises[$0].id) }) else { return nil }
            let later = chain[(bottom + 1)...].filter {
                !out.contains(catalogue.exercises[$0].id) && !request.included.contains(catalogue.exercises[$0].id)
            }
            return later.isEmpty ? nil : (chain[bottom], Array(later))
        }
    }

    /// The note that tells which harder step follows each first step in a routine, and when to
    /// take it (the programme's rule, ``ProgrammeRules``): nil when the routine has none.
    func nextStepsNote(_ routine: [PlannedExercise], request: PlanRequest) -> String? {
        let used = Set(routine.map(\.id))
        let steps = laddersFromBottom(above: exclusions(for: request), request: request).compactMap { first, later -> String? in
            let ex = catalogue.exercises[first]
            guard used.contains(ex.id), let next = later.first else { return nil }
            return "\(ex.name.inSentence) → \(catalogue.exercises[next].name.inSentence)"
        }
        guard !steps.isEmpty else { return nil }
        return "each strengthening exercise starts at the easiest step you can do with what you have; move up one step when it has felt easy for two sessions running (pain at most 3 above your usual during it, and back to usual by the next morning): \(steps.joined(separator: "; "))"
    }

    /// Which exercises a request leaves out for safety, equipment or by name, with every reason.
    public func exclusions(for request: PlanRequest) -> [Exclusion] {
        catalogue.exercises.compactMap { ex in
            var reasons: [String] = []
            for condition in ex.avoidIf where request.conditions.contains(condition) {
                reasons.append(Exclusion.unsafe(condition, why: ex.avoidWhy[condition]))
            }
            if !ex.onlyFor.isEmpty && request.conditions.isDisjoint(with: ex.onlyFor) && !request.included.contains(ex.id) {
                reasons.append(Exclusion.variantPrefix + "\(ex.onlyFor.joined(separator: " or ")) only")
            }
            if let have = request.equipment {
                let missing = ex.equipment.filter { !have.contains($0) }
                if !missing.isEmpty { reasons.append("needs \(missing.joined(separator: ", "))") }
            }
            if request.excluded.contains(ex.id) { reasons.append("excluded by name") }
            return reasons.isEmpty ? nil : Exclusion(id: ex.id, name: ex.name, reasons: reasons)
        }
    }

    /// Writes the model GLPK solves first for this request (minimum total time), CPLEX LP.
    public func exportModel(_ request: PlanRequest, to path: String) throws {
        try checked(request)
        let model = try RoutineModel(catalogue: catalogue, mode: .minimiseTime)
        try model.configure(usable: usableIndices(for: request), minimums: minimums(for: request),
                            budget: request.budgetSeconds, request: request)
        try writeAtomically(model.problem.text(format: .cplexLP), to: path)
    }

    func checked(_ request: PlanRequest) throws {
        if !catalogueProblems.isEmpty {
            throw DataErrors(catalogueProblems.map { DataIssue(file: "catalogue", $0.message) })
        }
        let problems = request.validate(against: catalogue)
        if !problems.isEmpty { throw RequestError(problems: problems) }
    }

    func usableIndices(for request: PlanRequest) -> [Int] {
        usableIndices(excluding: sessionExclusions(for: request))
    }

    func usableIndices(excluding exclusions: [Exclusion]) -> [Int] {
        let excluded = Set(exclusions.map(\.id))
        return catalogue.exercises.indices.filter { !excluded.contains(catalogue.exercises[$0].id) }
    }

    /// Plans the shortest routine for a request (see ``PlanningSession/plan(_:)``).
    public func plan(_ request: PlanRequest) throws -> Plan {
        try PlanningSession(planner: self).plan(request)
    }
}

/// Planning state for many requests against one catalogue: the models are built once and
/// re-configured per request. Thread-confined like the GLPK problems it holds (it is not
/// `Sendable`): use one session per thread.
public final class PlanningSession {
    public let planner: Planner
    var catalogue: Catalogue { planner.catalogue }
    var timeModel: RoutineModel?
    var budgetModel: RoutineModel?
    /// The proven shortest routine of the request under way and what it could use (full
    /// search only): where the equipment comparison starts from.
    var shortestRoutine: (usable: [Int], routine: [(Int, Double)])?
    /// Set by the owner (a ``PlannerPool`` worker) for the request under way: when another
    /// thread stops it, the running search ends at its next branch-and-cut callback and
    /// ``plan(_:)`` throws `CancellationError`.
    public var stop: Cancellation?
    /// The request the plan under way was solved for, after any focus default dropped for room.
    var finalRequest = PlanRequest()

    public init(planner: Planner) { self.planner = planner }

    func minimumTimeModel() throws -> RoutineModel {
        if let timeModel { return timeModel }
        let model = try RoutineModel(catalogue: catalogue, mode: .minimiseTime)
        timeModel = model
        return model
    }

    func maxMinModel() throws -> RoutineModel {
        if let budgetModel { return budgetModel }
        let model = try RoutineModel(catalogue: catalogue, mode: .maxMin)
        budgetModel = model
        return model
    }

    /// Plans the shortest routine for a request.
    ///
    /// Stage 1 minimises total time. Stage 2 keeps that time and maximises total coverage,
    /// so that among equally short routines the choice depends on the model alone (GLPK is
    /// deterministic, and every solve starts from the standard basis). Then each binding
    /// cause's minimum is raised by one point and the model re-solved, to price that point
    /// exactly.
    public func plan(_ request: PlanRequest) throws -> Plan {
        try planner.checked(request)
        // Without a time limit the plan is a function of the request (``ReuseCache``).
        let reusable = request.timeLimit == nil ? planner.reuse : nil
        if let plan = reusable?.plan(request) { return plan }
        let plan = try planChecked(request)
        // A stopped search gives a routine that is not what the request asked for: nobody is
        // waiting for it, and it must not be mistaken for an answer.
        if stop?.isStopped == true { throw CancellationError() }
        reusable?.store(plan, for: request)
        return plan
    }

    func planChecked(_ request: PlanRequest) throws -> Plan {
        if stop?.isStopped == true { throw CancellationError() }
        // Set by this request's first stage, never left over from the previous request.
        shortestRoutine = nil
        let screen = RedFlagScreen.assess(request.screen, conditions: request.conditions)
        if screen.status == .redFlag {
            // A sign that needs a doctor: no routine at all, only the advice.
            var plan = emptyPlan(.redFlag, request: request, minimums: planner.minimums(for: request), excluded: [],
                                 uncoverable: [])
            plan.screen = screen
            return plan
        }
        finalRequest = request
        var plan = try solve(request)
        plan.focus = focusCoverage(plan, request: finalRequest)
        plan.screen = screen
        plan.pathways = ConditionPathway.notes(for: request.conditions)
        plan.newSymptoms = RedFlagScreen.symptomTiers(answers: request.screen, conditions: request.conditions)
        if let next = planner.nextStepsNote(plan.exercises, request: finalRequest) { plan.notes.append(next) }
        if request.conditions.contains("acute-flare") {
            plan.notes.append(Plan.flareNote)
            plan.flareAdvice = FlareAdvice.plan
        }
        if request.explain, plan.status == .optimal || plan.status == .partial || plan.status == .overBudget, let have = request.equipment {
            plan.equipmentSavings = try StageClock.measure("equipment") { try equipmentSavings(finalRequest, have: have,
                                                         shortest: plan.minimumSecondsNeeded ?? plan.totalSeconds) }
        }
        return plan
    }

    /// The shortest routine for a request whose screen is not positive.
    func solve(_ request: PlanRequest, tieBreak: Bool = true) throws -> Plan {
        let stopwatch = ContinuousClock()
        // time_limit is at most a day (Limits.timeLimit); the clamp keeps the conversion total.
        let deadline = request.timeLimit.map { stopwatch.now + .milliseconds(Int64(min(max($0, 0), 1e9) * 1000)) }
        func remaining() -> Double? {
            deadline.map { d in
                let left = d - stopwatch.now
                return max(0.001, left.seconds)
            }
        }
        let minimums = planner.minimums(for: request)
        let excluded = planner.sessionExclusions(for: request)
        let usable = planner.usableIndices(excluding: excluded)

        if let unreachable = uncoverableCauses(usable: usable, excluded: excluded, minimums: minimums, request: request) {
            return emptyPlan(.uncoverable, request: request, minimums: minimums, excluded: excluded,
                             uncoverable: unreachable)
        }

        // The budget-free stages of this sub-problem, if another request already ran them
        // (full search, no time limit: see ``ReuseCache``).
        let reuse = request.timeLimit == nil && !planner.usesCore(usable: usable.count) ? planner.reuse : nil
        let key = reuse.map { _ in
            ReuseCache.StageKey(usable: usable, minimums: minimums, request: request, tieBreak: tieBreak, catalogue: catalogue)
        }
        let cached = key.flatMap { reuse?.stage($0) }
        // Stage 1 without the budget: the shortest routine at all tells whether the budget is enough.
        let first: FirstStage
        if let cached {
            let model = try minimumTimeModel()
            try model.configure(usable: usable, minimums: minimums, budget: nil, request: request)
            first = FirstStage(model: model, values: cached.firstValues, termination: cached.termination, bound: cached.bound,
                               notes: cached.notes, recheckNote: cached.recheckNote)
        } else {
            first = try StageClock.measure(tieBreak ? "stage 1" : "stage 1 (equipment)") {
                planner.usesCore(usable: usable.count)
                    ? try coreFirstStage(usable: usable, minimums: minimums, request: request, remaining: remaining)
                    : try fullFirstStage(usable: usable, minimums: minimums, request: request, remaining: remaining)
            }
        }
        let model = first.model
        let firstValues = first.values
        let firstBound = first.bound
        let recheckNote = first.recheckNote
        guard let firstValues else {
            if first.termination == .infeasible,
               let fewer = try focusWithRoom(request, usable: usable, minimums: minimums, tieBreak: tieBreak, remaining: remaining) {
                return try solve(fewer, tieBreak: tieBreak)
            }
            if first.termination == .infeasible {
                var reason = request.maxExercises.map { "no routine of at most \($0) exercises gives every area its minimum" }
                    ?? "the exercises left cannot meet every minimum together"
                if request.strengthShare > 0 {
                    reason += " with at least \(percent(request.strengthShare)) of the time on strengthening (strength_share)"
                }
                if !request.included.isEmpty {
                    reason += " and the included exercises (\(request.included.sorted().joined(separator: ", ")))"
                }
                let focus = catalogue.focusBounds(for: request, usable: usable).filter { $0.lower > 0 || $0.upper != nil }
                if !focus.isEmpty {
                    reason += " and the focus (\(focus.map { describe($0) }.joined(separator: ", ")))"
                }
                let all = catalogue.causes.enumerated().map { c, cause in
                    UncoverableCause(id: cause.id, name: cause.name, minimum: minimums[c], reachable: minimums[c],
                                     reason: reason, removedBy: [])
                }
                return emptyPlan(.uncoverable, request: request, minimums: minimums, excluded: excluded, uncoverable: all)
            }
            let why = first.termination == .timeLimit
                ? "the time limit ran out before any routine was found; try a longer time limit"
                : "GLPK stopped (\(first.termination)) on every setting tried, before finding any routine\(first.notes.last.map { ": \($0)" } ?? "")"
            return emptyPlan(.noSolution, request: request, minimums: minimums, excluded: excluded, uncoverable: [],
                             notes: [why])
        }
        let shortest = model.seconds(firstValues)
        let proven = first.termination == .optimal && recheckNote == nil
        shortestRoutine = proven && first.search == nil ? (usable, model.routine(firstValues)) : nil
        var answer = cached ?? ReuseCache.StageAnswer(firstValues: firstValues, termination: first.termination, bound: firstBound,
                                                      notes: first.notes, recheckNote: recheckNote)
        if let key, cached == nil, stop?.isStopped != true { reuse?.store(answer, for: key) }

        if let budget = request.budgetSeconds, shortest > budget + 1e-6 {
            if let fewer = try focusWithRoom(request, usable: usable, minimums: minimums, tieBreak: tieBreak, remaining: remaining) {
                return try solve(fewer, tieBreak: tieBreak)
            }
            return try bestWithinBudget(budget: budget, shortest: shortest, shortestProven: proven,
                                        usable: usable, minimums: minimums, request: request, excluded: excluded,
                                        tieBreak: tieBreak, remaining: remaining)
        }

        // Stage 2: same time, most coverage.
        var values = firstValues
        var valuesModel = model
        var notes: [String] = recheckNote.map { [$0] } ?? []
        // Every shortest routine met on the way: the explanation's free prices come from them.
        var shortestRoutines = [model.routine(firstValues)]
        if proven && tieBreak {
            if let chosen = answer.chosen {
                // The same sub-problem's pick: on the full path the tie-break's model is the
                // stage-1 model itself, configured the same way.
                if let v = chosen.values { values = v }
                notes += chosen.notes
                if let tied = chosen.tied { shortestRoutines.append(tied) }
            } else {
                // On the core path, over the exercises the bound allows in a routine that short.
                let tieModel = try first.search.map { search in
                    try search.model(over: search.survivors(bound: first.lagrangian, values: first.penalties, limit: shortest))
                } ?? model
                try tieModel.setCoverageTieBreak(maxSeconds: shortest, budget: request.budgetSeconds)
                let chosen = try canonicalChoice(tieModel, start: model.routine(firstValues), remaining: remaining)
                if let v = chosen.values { values = v; valuesModel = tieModel }
                notes += chosen.notes
                if let tied = chosen.tied { shortestRoutines.append(tied) }
                if let key, stop?.isStopped != true {
                    answer.chosen = .init(values: chosen.values, notes: chosen.notes, tied: chosen.tied)
                    reuse?.store(answer, for: key)
                }
            }
        }
        // GLPK's definition of the relative gap, against the best bound known.
        let gap = firstBound.map { abs(shortest - $0) / (abs(shortest) + Double.ulpOfOne) }
        if !proven {
            if let gap {
                notes.append("a slightly shorter routine may exist: the search stopped (\(first.termination)) before it could rule one out; this one is at most \(percent(gap)) longer than the shortest")
            } else {
                notes.append("a shorter routine may exist: the search stopped (\(first.termination)) before it could say how much shorter one could be")
            }
        }
        // Everything the plan reports is read off `values` before the model is re-used.
        let plan = routinePlan(proven ? .optimal : .feasible, values: values, model: valuesModel, request: request,
                               minimums: minimums, excluded: excluded, gap: proven ? nil : gap,
                               minimumSecondsNeeded: nil, explanation: nil, notes: notes)
        guard proven && request.explain else { return plan }
        let explanation = try StageClock.measure("explain") { try explain(values: values, model: valuesModel, shortest: shortest, alsoShortest: shortestRoutines, usable: usable,
                                      minimums: minimums, request: request, timeLimit: remaining()) }
        return plan.with(explanation: explanation)
    }

}

extension PlanningSession {
    /// The session's standard solve (``SolverPolicy/standard(timeLimit:stop:nodeLimit:)``).
    func options(_ timeLimit: Double?, nodeLimit: Int = WorkBounds.nodes) -> SolveOptions {
        SolverPolicy.standard(timeLimit: timeLimit, stop: stop, nodeLimit: nodeLimit)
    }

    /// The shortest-routine search over `usable` exercises (``SolverPolicy/shortestRoutine(timeLimit:stop:relativeGap:usable:)``).
    func firstStageOptions(_ timeLimit: Double?, request: PlanRequest, usable: Int) -> SolveOptions {
        SolverPolicy.shortestRoutine(timeLimit: timeLimit, stop: stop, relativeGap: request.relativeGap, usable: usable)
    }
}

extension PlanningSession {
    /// The focus defaults a session has room for, when the request with all of them does not
    /// fit: in focus.csv order, each default is kept when it fits together with the defaults
    /// kept before it, and skipped otherwise. "Fits" means the shortest routine that meets every
    /// minimum is within the budget; when even the routine with no default cannot meet them in
    /// the budget (the session will be partial), it means the defaults alone take at most half
    /// the budget, so the other half works on every cause, and some routine with them meets
    /// every minimum without the budget. No default is kept when the request
    /// has no routine at all without them. One small solve per default; nil when there is no
    /// default left to decide.
    func focusWithRoom(_ request: PlanRequest, usable: [Int], minimums: [Double], tieBreak: Bool,
                       remaining: () -> Double?) throws -> PlanRequest? {
        guard !request.focusSettled else { return nil }
        let defaults = catalogue.focusBounds(for: request, usable: usable)
            .filter { $0.droppable && $0.lower > 0 }.map { catalogue.focuses[$0.focus].id }
        guard !defaults.isEmpty else { return nil }
        let budget = request.budgetSeconds ?? .infinity
        // The decision is a function of the sub-problem and the budget: another request with
        // the same exercises, minimums, focus rows and budget made it already (``ReuseCache``).
        let reuse = remaining() == nil ? planner.reuse : nil
        let key = reuse.map { _ in
            ReuseCache.RoomKey(stage: .init(usable: usable, minimums: minimums, request: request, tieBreak: false, catalogue: catalogue),
                               budget: budget)
        }
        let decided: (kept: [String], noRoutine: Set<String>)
        if let key, let known = reuse?.room(key) {
            decided = known
        } else {
            decided = try focusDecision(request, defaults: defaults, usable: usable, minimums: minimums, budget: budget,
                                        remaining: remaining)
            if let key, stop?.isStopped != true { reuse?.storeRoom(decided, for: key) }
        }
        let (kept, noRoutine) = decided
        var settled = request
        settled.skippedFocus.formUnion(defaults.filter { !kept.contains($0) })
        settled.skippedForLimits.formUnion(noRoutine)
        settled.focusSettled = true
        if tieBreak { finalRequest = settled }
        return settled
    }

    /// ``focusWithRoom(_:usable:minimums:tieBreak:remaining:)``'s decision: the defaults kept,
    /// and those no routine has room for whatever the time.
    func focusDecision(_ request: PlanRequest, defaults: [String], usable: [Int], minimums: [Double], budget: Double,
                       remaining: () -> Double?) throws -> (kept: [String], noRoutine: Set<String>) {
        var none = request
        none.skippedFocus.formUnion(defaults)
        let base = try room(none, usable: usable, minimums: minimums, within: budget, remaining: remaining)
        let partial = base == .over
        var kept: [String] = [], noRoutine: Set<String> = base == .noRoutine ? Set(defaults) : []
        if base != .noRoutine {
            for id in defaults {
                var trial = request
                trial.skippedFocus.formUnion(defaults.filter { $0 != id && !kept.contains($0) })
                // Partial: the defaults alone in half the time, and some routine with them meets
                // every minimum given more time (else the session could not be planned at all).
                let full = try room(trial, usable: usable, minimums: minimums, within: partial ? .infinity : budget,
                                    remaining: remaining)
                let fits = partial
                    ? try full != .noRoutine
                        && room(trial, usable: usable, minimums: minimums.map { _ in 0 }, within: budget / 2, onlyFits: true,
                                remaining: remaining) == .fits
                    : full == .fits
                if fits { kept.append(id) } else if full == .noRoutine { noRoutine.insert(id) }
            }
        }
        return (kept, noRoutine)
    }

    /// Whether a routine for `trial` exists, and whether the shortest one takes at most `limit`
    /// seconds (within 1e-6 s), decided as the first stage's search would decide it, with
    /// the search only when two cheaper arguments cannot:
    /// - a greedy routine (``RoutineModel/greedyFocusPoint()``, checked against every row) within
    ///   the limit: a routine that short exists, so the shortest is no longer (the search proves
    ///   the shortest, or, stopped by its work bound, returns one no longer than its start, the
    ///   stage's own greedy routine: within the limit whenever that one is, and a search that
    ///   stops over the limit with a routine under it is the one case decided differently,
    ///   in favour of keeping the default);
    /// - an LP relaxation that is infeasible (then so is every routine) or whose optimum is
    ///   above the limit (every routine takes at least that long; the margin of 1e-7 of the
    ///   limit is above GLPK's tolerances, so a point the search would accept cannot lie under it).
    /// Either way the answer is the one the search would give, so no decision changes. With
    /// `onlyFits`, ``Room/over`` may also stand for "no routine at all" (the caller asks only
    /// whether a routine fits).
    func room(_ trial: PlanRequest, usable: [Int], minimums: [Double], within limit: Double, onlyFits: Bool = false,
              remaining: () -> Double?) throws -> Room {
        let model = try minimumTimeModel()
        try model.configure(usable: usable, minimums: minimums, budget: nil, request: trial)
        let witness = model.greedyFocusPoint()
        if let witness, model.seconds(witness) <= limit + 1e-6 {
            Diagnostics.trace(1, "room: a greedy routine fits")
            return .fits
        }
        model.problem.resetBasis()
        let lp = try model.problem.solveRelaxation(options(remaining()))
        if lp.termination == .infeasible { return .noRoutine }
        // A relaxation over the limit says "over" only for a problem with a routine: the
        // relaxation of one without any can still have points. So it answers when the greedy
        // witness shows a routine exists, or when the caller asks only whether one fits.
        if witness != nil || onlyFits, lp.termination == .optimal, let least = lp.objectiveValue,
           least > limit + 1e-6 + 1e-7 * max(1, limit) {
            Diagnostics.trace(1, "room: the LP bound \(least) is over \(limit)")
            return .over
        }
        Diagnostics.trace(1, "room: searched (LP \(lp.objectiveValue ?? -1), limit \(limit))")
        let first = try fullFirstStage(usable: usable, minimums: minimums, request: trial, remaining: remaining)
        guard let values = first.values else { return .noRoutine }
        return first.model.seconds(values) <= limit + 1e-6 ? .fits : .over
    }

    enum Room { case noRoutine, fits, over }

    /// "curl-up ≥ 1", "flexion ≤ 1": a focus row in words for a reason.
    func describe(_ bound: FocusBound) -> String {
        let id = catalogue.focuses[bound.focus].id
        switch (bound.lower, bound.upper) {
        case (let l, let u?) where l > 0: return "\(id) \(l) to \(u)"
        case (_, let u?): return "\(id) at most \(u)"
        case (let l, nil): return "\(id) at least \(l)"
        }
    }

    /// Each focus that applied to the request, or was dropped for room, and how the routine meets it.
    func focusCoverage(_ plan: Plan, request: PlanRequest) -> [FocusCoverage] {
        guard !catalogue.focuses.isEmpty, !plan.exercises.isEmpty else { return [] }
        let usable = planner.usableIndices(for: request)
        let bounds = catalogue.focusBounds(for: request, usable: usable)
        let unskipped: PlanRequest = { var r = request; r.skippedFocus = []; return r }()
        let wanted = Dictionary(catalogue.focusBounds(for: unskipped, usable: usable).map { ($0.focus, $0) }, uniquingKeysWith: { a, _ in a })
        let inRoutine = Set(plan.exercises.compactMap { catalogue.exerciseIndex($0.id) })
        var out: [FocusCoverage] = []
        for (k, focus) in catalogue.focuses.enumerated() {
            let bound = bounds.first { $0.focus == k }
            let used = focus.members.filter(inRoutine.contains).count
            let dropped = request.skippedFocus.contains(focus.id) && used < (wanted[k]?.lower ?? 0)
            guard bound != nil || dropped else { continue }
            out.append(FocusCoverage(id: focus.id, name: focus.name, why: focus.why,
                                     least: dropped ? (wanted[k]?.lower ?? 0) : bound?.lower ?? 0, most: bound?.upper,
                                     used: used, dropped: dropped,
                                     droppedFor: dropped ? (request.skippedForLimits.contains(focus.id) ? .limits : .time) : nil))
        }
        return out
    }
}
