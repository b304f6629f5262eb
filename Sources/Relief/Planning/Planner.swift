import GLPK

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

    public init(catalogue: Catalogue, strategy: SolveStrategy = .auto) {
        self.catalogue = catalogue
        self.strategy = strategy
        catalogueProblems = catalogue.rangeProblems()
    }

    /// Whether a request with this many usable exercises is searched with ``CoreSearch``.
    func usesCore(usable: Int) -> Bool {
        switch strategy {
        case .full: false
        case .core: true
        case .auto: usable > CoreSearch.autoThreshold
        }
    }

    /// The minimum per cause for a request, in catalogue order.
    public func minimums(for request: PlanRequest) -> [Double] {
        catalogue.causes.map { request.minimums[$0.id] ?? $0.defaultMinimum }
    }

    /// Which exercises a request leaves out, with every reason for each.
    public func exclusions(for request: PlanRequest) -> [Exclusion] {
        catalogue.exercises.compactMap { ex in
            var reasons: [String] = []
            for condition in ex.avoidIf where request.conditions.contains(condition) {
                reasons.append(condition == "pregnancy" ? "unsafe with pregnancy (lying on the back or front: ACOG Committee Opinion 804)" : "unsafe with \(condition)")
            }
            if !ex.onlyFor.isEmpty && request.conditions.isDisjoint(with: ex.onlyFor) {
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
        usableIndices(excluding: exclusions(for: request))
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
    private var catalogue: Catalogue { planner.catalogue }
    private var timeModel: RoutineModel?
    private var budgetModel: RoutineModel?
    /// The proven shortest routine of the request under way and what it could use (full
    /// search only): where the equipment comparison starts from.
    private var shortestRoutine: (usable: [Int], routine: [(Int, Double)])?
    /// Set by the owner (a ``PlannerPool`` worker) for the request under way: when another
    /// thread stops it, the running search ends at its next branch-and-cut callback and
    /// ``plan(_:)`` throws `CancellationError`.
    public var stop: StopSignal?

    public init(planner: Planner) { self.planner = planner }

    private func minimumTimeModel() throws -> RoutineModel {
        if let timeModel { return timeModel }
        let model = try RoutineModel(catalogue: catalogue, mode: .minimiseTime)
        timeModel = model
        return model
    }

    private func maxMinModel() throws -> RoutineModel {
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

    private func planChecked(_ request: PlanRequest) throws -> Plan {
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
        var plan = try solve(request)
        plan.screen = screen
        plan.pathways = ConditionPathway.notes(for: request.conditions)
        if request.conditions.contains("acute-flare") {
            plan.notes.append("in a flare, keep moving through the day: short, easy walks and normal activity as far as pain allows help more than rest (NICE NG59)")
        }
        if request.explain, plan.status == .optimal || plan.status == .overBudget, let have = request.equipment {
            plan.equipmentSavings = try StageClock.measure("equipment") { try equipmentSavings(request, have: have,
                                                         shortest: plan.minimumSecondsNeeded ?? plan.totalSeconds) }
        }
        return plan
    }

    /// For each piece of equipment the person did not list, how much shorter the shortest
    /// routine that covers every cause would be with it (only those that save time, most first).
    private func equipmentSavings(_ request: PlanRequest, have: Set<String>, shortest: Double) throws -> [EquipmentSaving] {
        let known = shortestRoutine
        var savings: [EquipmentSaving] = []
        for item in catalogue.knownEquipment where !have.contains(item) {
            var more = request
            more.equipment = have.union([item])
            more.explain = false
            // Only the shortest full routine is compared: no budget (so no best-within-budget
            // search) and no tie-break among equally short routines.
            more.budgetSeconds = nil
            let needed: Double?
            if let known {
                // The routine without it is a routine with it: the incumbent the bound fixes
                // against, so only exercises that could make a shorter one are searched. No
                // new exercise, no shorter routine.
                let usable = planner.usableIndices(for: more)
                guard usable.count > known.usable.count else { continue }
                let minimums = planner.minimums(for: more)
                let reuse = request.timeLimit == nil ? planner.reuse : nil
                let key = ReuseCache.StageKey(usable: usable, minimums: minimums, request: more, tieBreak: false)
                if let seconds = reuse?.shortestTime(key) {
                    needed = seconds
                } else {
                    let model = try minimumTimeModel()
                    try model.configure(usable: usable, minimums: minimums, budget: nil, request: more)
                    let (s, _) = try solveFixed(model, start: known.routine, remaining: { request.timeLimit })
                    needed = s.termination == .optimal ? s.allValues.map(model.seconds) : nil
                    if let needed, stop?.isStopped != true { reuse?.storeShortestTime(needed, for: key) }
                }
            } else {
                let plan = try solve(more, tieBreak: false)
                needed = plan.status == .optimal ? plan.totalSeconds : nil
            }
            if let needed, needed < shortest - 0.5 {
                savings.append(EquipmentSaving(equipment: item, secondsSaved: shortest - needed))
            }
        }
        return savings.sorted { ($0.secondsSaved, $1.equipment) > ($1.secondsSaved, $0.equipment) }
    }

    /// The shortest routine for a request whose screen is not positive.
    private func solve(_ request: PlanRequest, tieBreak: Bool = true) throws -> Plan {
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
        let excluded = planner.exclusions(for: request)
        let usable = planner.usableIndices(excluding: excluded)

        if let unreachable = uncoverableCauses(usable: usable, excluded: excluded, minimums: minimums, request: request) {
            return emptyPlan(.uncoverable, request: request, minimums: minimums, excluded: excluded,
                             uncoverable: unreachable)
        }

        // The budget-free stages of this sub-problem, if another request already ran them
        // (full search, no time limit: see ``ReuseCache``).
        let reuse = request.timeLimit == nil && !planner.usesCore(usable: usable.count) ? planner.reuse : nil
        let key = reuse.map { _ in
            ReuseCache.StageKey(usable: usable, minimums: minimums, request: request, tieBreak: tieBreak)
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
            if first.termination == .infeasible {
                var reason = request.maxExercises.map { "no routine of at most \($0) exercises gives every cause its minimum" }
                    ?? "the exercises left cannot meet every minimum together"
                if request.strengthShare > 0 {
                    reason += " with at least \(percent(request.strengthShare)) of the time on strengthening (strength_share)"
                }
                if !request.included.isEmpty {
                    reason += " and the included exercises (\(request.included.sorted().joined(separator: ", ")))"
                }
                let all = catalogue.causes.enumerated().map { c, cause in
                    UncoverableCause(id: cause.id, name: cause.name, minimum: minimums[c], reachable: minimums[c],
                                     reason: reason, removedBy: [])
                }
                return emptyPlan(.uncoverable, request: request, minimums: minimums, excluded: excluded, uncoverable: all)
            }
            let why = first.termination == .timeLimit
                ? "the time limit ran out before any routine was found; try a longer --time-limit"
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
                notes.append("not proven shortest: the solver stopped (\(first.termination)); the routine may be up to \(percent(gap)) longer than the shortest")
            } else {
                notes.append("not proven shortest: the solver stopped (\(first.termination)) with no bound on how much shorter a routine could be")
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

    /// Stages 2 and 3 on a model already set to the tie-break (``RoutineModel/setCoverageTieBreak(maxSeconds:budget:)``):
    /// among the routines as good as `start`, the most coverage, then the earliest exercises in
    /// the catalogue (``RoutineModel/setCanonicalChoice(coverage:)``). The canonical stage gets
    /// ``WorkBounds/canonicalNodes`` nodes of branch-and-cut: on a hard catalogue, proving which
    /// of the tied routines comes first can take longer than finding them, and the routine is as
    /// good either way. A node count rather than a share of the wall time, so that a loaded
    /// machine shows the same routine as a quiet one. Returns the cleaned point (nil: keep
    /// `start`) and notes.
    private func canonicalChoice(_ model: RoutineModel, start: [(Int, Double)],
                                 remaining: () -> Double?) throws -> (values: [Double]?, notes: [String], tied: [(Int, Double)]?) {
        let (second, candidates) = try StageClock.measure("tie-break") {
            try solveFixed(model, start: start, remaining: remaining)
        }
        guard let v = second.allValues else {
            return (nil, ["the tie-break between equally short routines stopped early (\(second.termination)); the first shortest routine found is shown"], nil)
        }
        var values = model.cleaned(v)
        let tied = model.routine(values)
        guard second.termination == .optimal, let least = second.objectiveValue else { return (values, [], tied) }
        try model.setCanonicalChoice(coverage: -least)
        let (third, _) = try StageClock.measure("canonical") {
            try solveFixed(model, start: model.routine(values), within: candidates, remaining: remaining,
                           nodeLimit: WorkBounds.canonicalNodes)
        }
        debugLog("canonical: \(third.termination) in \(third.nodes ?? 0) nodes")
        if third.termination == .optimal, let w = third.allValues {
            values = model.cleaned(w)
            return (values, [], tied)
        }
        return (values, ["several routines are equally short with equally much coverage; the rule that picks one of them (earliest exercises in the catalogue) was not completed within its work bound (\(third.termination)): this one is as short and covers as much, but --strategy full and core may show different ones"], tied)
    }

    /// Solves a tie-break stage whose incumbent is known (`start`, a routine of the model):
    /// the LP relaxation's Lagrangian bound rules out every exercise that cannot be in a point
    /// as good as the incumbent, and branch-and-cut runs with those fixed unused (restored
    /// afterwards). Its optimum is the model's: a point using a fixed exercise is worse than the start.
    /// `within` (catalogue indices) is what an earlier stage proved the only candidates;
    /// the survivors of this stage's bound are returned for the next.
    private func solveFixed(_ model: RoutineModel, start routine: [(Int, Double)], within: Set<Int>? = nil,
                            remaining: () -> Double?, nodeLimit: Int = WorkBounds.nodes) throws -> (Solution, Set<Int>?) {
        var o = options(remaining(), nodeLimit: nodeLimit)
        guard let start = CoreSearch.start(routine, in: model) else { return (try model.solve(o), nil) }
        o.startingPoint = start
        let incumbent = model.problem.objectiveValue(of: model.point(start))
        let all = Set(model.members)
        return try model.withOnly(within ?? all) {
            model.problem.resetBasis()
            let lp = try model.problem.solveRelaxation(options(remaining()))
            guard lp.termination == .optimal, lp.hasDuals else { return (try model.solve(o), within) }
            let (bound, values) = try model.lagrangian(lp)
            let keep = Set(model.survivors(bound: bound, values: values, limit: incumbent)).intersection(within ?? all)
            debugLog("fixing: bound \(bound), incumbent \(incumbent), keep \(keep.count) of \((within ?? all).count)")
            return (try model.withOnly(keep) { try model.solve(o) }, keep)
        }
    }

    /// What the search for the shortest routine found.
    private struct FirstStage {
        let model: RoutineModel
        let values: [Double]?
        let termination: Termination
        let bound: Double?
        let notes: [String]
        let recheckNote: String?
        /// On the core path: the search, its Lagrangian bound and penalties, for later fixing.
        var search: CoreSearch? = nil
        var lagrangian = 0.0
        var penalties: [Double] = []
    }

    /// Stage 1 on the whole model, from the greedy routine, re-checked against it.
    private func fullFirstStage(usable: [Int], minimums: [Double], request: PlanRequest,
                                remaining: () -> Double?) throws -> FirstStage {
        let model = try minimumTimeModel()
        try model.configure(usable: usable, minimums: minimums, budget: nil, request: request)
        // The greedy routine is a first incumbent: it bounds the search from the start and
        // means a time limit still returns a routine.
        var firstOptions = firstStageOptions(remaining(), request: request, usable: usable.count)
        let greedy = model.greedyStart()
        firstOptions.startingPoint = greedy
        var first = try model.solve(firstOptions)
        var recheckNote: String?
        let greedyTime = greedy.map { model.seconds(model.point($0)) }
        /// Whether the greedy routine is shorter than a point, beyond the solver's tolerance.
        func greedyBeats(_ values: [Double]) -> Bool {
            guard let greedyTime else { return false }
            let t = model.seconds(values)
            return greedyTime < t - 1e-6 * max(1, t)
        }
        if first.termination == .optimal, let v = first.allValues, greedyBeats(v), let greedyTime {
            // An exact re-check: a routine GLPK did not find beats its "optimal" one. Solve
            // again with the presolver and scaling; if the claim still fails, it is not made.
            let again = try model.solve(SolverPolicy.recheck(firstOptions))
            if again.termination == .optimal, let w = again.allValues, !greedyBeats(w) {
                first = again
            } else {
                recheckNote = "GLPK reported a routine of \(clock(model.seconds(v))) as shortest, but a \(clock(greedyTime)) routine exists: the data may be badly scaled"
                first = again.allValues.map { w in model.seconds(w) < greedyTime ? again : first } ?? first
            }
        }
        var firstValues = first.allValues.map(model.cleaned)
        var firstBound = first.bestBound
        if firstValues == nil, first.termination == .timeLimit || first.termination == .numericalFailure, let greedy {
            // Stopped before GLPK had any routine of its own: the greedy one is feasible.
            firstValues = model.point(greedy)
            firstBound = first.termination == .timeLimit ? max(0, firstBound ?? 0) : nil
        }
        if recheckNote != nil {
            // GLPK's bound is not trusted once its claim failed: no gap is reported.
            firstBound = nil
            if let greedy, let greedyTime, let v = firstValues, greedyTime < model.seconds(v) {
                firstValues = model.point(greedy)
            }
        }
        return FirstStage(model: model, values: firstValues, termination: first.termination, bound: firstBound,
                          notes: first.notes, recheckNote: recheckNote)
    }

    /// Stage 1 by ``CoreSearch``: the whole catalogue's LP by column generation, a bound that
    /// rules out most exercises, and branch-and-cut over the rest.
    private func coreFirstStage(usable: [Int], minimums: [Double], request: PlanRequest,
                                remaining: () -> Double?) throws -> FirstStage {
        let search = CoreSearch(catalogue: catalogue, usable: usable, minimums: minimums, budget: nil, request: request,
                                sizes: planner.coreSizes)
        let outcome = try search.shortest(options: { self.firstStageOptions($0, request: request, usable: usable.count) }, remaining: remaining)
        var stage = FirstStage(model: outcome.model, values: outcome.values, termination: outcome.termination,
                               bound: outcome.bound, notes: outcome.notes, recheckNote: nil)
        stage.search = search
        stage.lagrangian = outcome.lagrangian
        stage.penalties = outcome.penalties
        return stage
    }

    /// Only the search for the shortest routine (no budget, no tie-break, no explanation):
    /// exactly the model `exportModel` writes for a request without a budget. For benchmarks
    /// against other solvers on that file.
    public func shortestRoutineSolve(_ request: PlanRequest) throws -> Solution {
        try planner.checked(request)
        let model = try minimumTimeModel()
        try model.configure(usable: planner.usableIndices(for: request), minimums: planner.minimums(for: request),
                            budget: request.budgetSeconds, request: request)
        var o = firstStageOptions(request.timeLimit, request: request, usable: model.usable.count)
        o.startingPoint = model.greedyStart()
        return try model.solve(o)
    }

    /// The search for the shortest routine alone, as the planner's strategy runs it: for
    /// benchmarks against other solvers on the model `exportModel` writes (no budget).
    public func shortestRoutine(_ request: PlanRequest) throws -> ShortestRoutine {
        guard planner.usesCore(usable: planner.usableIndices(for: request).count) else {
            let s = try shortestRoutineSolve(request)
            return ShortestRoutine(seconds: s.objectiveValue, termination: s.termination, bound: s.bestBound)
        }
        try planner.checked(request)
        let search = CoreSearch(catalogue: catalogue, usable: planner.usableIndices(for: request),
                                minimums: planner.minimums(for: request), budget: request.budgetSeconds, request: request,
                                sizes: planner.coreSizes)
        let clock = ContinuousClock()
        let deadline = request.timeLimit.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        let outcome = try search.shortest(options: { self.firstStageOptions($0, request: request, usable: search.usable.count) },
                                          remaining: { deadline.map { max(0.001, ($0 - clock.now).seconds) } })
        return ShortestRoutine(seconds: outcome.values.map(outcome.model.seconds), termination: outcome.termination,
                               bound: outcome.bound)
    }

    /// Causes whose minimum the usable exercises cannot reach even all at their caps.
    private func uncoverableCauses(usable: [Int], excluded: [Exclusion], minimums: [Double],
                                   request: PlanRequest) -> [UncoverableCause]? {
        var result: [UncoverableCause] = []
        for (c, cause) in catalogue.causes.enumerated() where minimums[c] > 0 {
            var reach = 0.0
            for e in usable {
                let ex = catalogue.exercises[e]
                reach += ex.benefits[c] * RoutineModel.upperBound(ex, minimums: minimums, share: request.maxShare).0
            }
            guard reach < minimums[c] - 1e-9 else { continue }
            let removed = excluded.filter { ex in
                catalogue.exercises[catalogue.exerciseIndex(ex.id)!].benefits[c] > 0
            }
            var reason = "the exercises left can give \(cause.name.lowercased()) at most \(format(reach)) points, below the minimum of \(format(minimums[c]))"
            if !removed.isEmpty {
                let named = removed.prefix(6).map { "\($0.id) (\($0.reasons.joined(separator: "; ")))" }
                reason += "; exclusions removed \(removed.count) exercise\(removed.count == 1 ? "" : "s") that cover it: \(named.joined(separator: ", "))\(removed.count > 6 ? ", …" : "")"
            }
            if request.maxShare < 1 {
                reason += "; no exercise may give more than \(percent(request.maxShare)) of a minimum (--max-share)"
            }
            result.append(UncoverableCause(id: cause.id, name: cause.name, minimum: minimums[c], reachable: reach,
                                           reason: reason, removedBy: removed.map(\.id)))
        }
        return result.isEmpty ? nil : result
    }

    /// A budget too short: the routine within it that maximises the smallest coverage fraction.
    private func bestWithinBudget(budget: Double, shortest: Double, shortestProven: Bool, usable: [Int],
                                  minimums: [Double], request: PlanRequest, excluded: [Exclusion], tieBreak: Bool,
                                  remaining: () -> Double?) throws -> Plan {
        let model = try maxMinModel()
        try model.configure(usable: usable, minimums: minimums, budget: budget, request: request)
        let maxMinOptions = SolverPolicy.weakestCause(timeLimit: remaining(), stop: stop)
        let best = try StageClock.measure("max-min") { try model.solve(maxMinOptions) }
        var values = best.allValues.map(model.cleaned) ?? [Double](repeating: 0, count: model.problem.variableCount)
        var notes = ["this routine fits your \(clock(budget)) and works on every cause as evenly as that time allows; with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"]
        if best.termination == .optimal, let z = model.z, let zStar = best.value(z) {
            // Among routines with the same weakest fraction, the shortest.
            try model.setShortestAtFraction(zStar)
            var shortestOptions = SolverPolicy.shortestAtFraction(timeLimit: remaining(), stop: stop)
            shortestOptions.startingPoint = Dictionary(uniqueKeysWithValues: model.problem.variables.map { ($0, best.value($0) ?? 0) })
            let shortestAtFraction = try StageClock.measure("max-min shortest") { try model.solve(shortestOptions) }
            if let v = shortestAtFraction.allValues {
                values = model.cleaned(v)
                if shortestAtFraction.termination == .optimal && tieBreak {
                    // Then the same rule as for a routine within the budget: the most coverage,
                    // then the earliest exercises in the catalogue.
                    try model.setCoverageTieBreak(maxSeconds: model.seconds(values), budget: budget)
                    let chosen = try canonicalChoice(model, start: model.routine(values), remaining: remaining)
                    if let v = chosen.values { values = v }
                    notes += chosen.notes
                }
            }
        } else if best.allValues == nil {
            // Nothing to call even: say only what is known.
            notes = ["no routine within the budget was found (\(best.termination)); with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"]
        } else {
            // A point without a proof: say so rather than call it the most even.
            notes[0] = "this routine fits your \(clock(budget)) and works on every cause; with \(clock(shortest))\(shortestProven ? "" : " or less") every cause would get its full amount"
            notes.append("not proven the most even routine for that time: the solver stopped (\(best.termination)) before it could prove one; a longer time limit may spread the time better")
        }
        return routinePlan(.overBudget, values: values, model: model, request: request, minimums: minimums,
                           excluded: excluded, gap: nil, minimumSecondsNeeded: shortest,
                           explanation: nil, notes: notes)
    }

    /// Binding constraints, and the exact price of one more point of each cause by re-solving.
    /// `alsoShortest`: other routines of the shortest time for the request (stage 1's and the
    /// tie-break's), which price a cause at zero when one of them already has its extra point.
    private func explain(values: [Double], model: RoutineModel, shortest: Double, alsoShortest: [[(Int, Double)]],
                         usable: [Int], minimums: [Double], request: PlanRequest, timeLimit: Double?) throws -> Explanation {
        // Read before the re-solves re-configure the model.
        let routine = model.routine(values)
        var binding: [String] = []
        let total = model.seconds(values)
        if let budget = request.budgetSeconds, total >= budget - 1e-6 { binding.append("budget") }
        let achieved = catalogue.causes.indices.map { model.coverage(values, cause: $0) }
        for (c, cause) in catalogue.causes.enumerated() where minimums[c] > 0 && achieved[c] <= minimums[c] + 1e-6 {
            binding.append("cause:\(cause.id)")
        }
        for e in model.usable where model.units(values, e) >= model.upper(of: e) - 1e-6 {
            let ex = catalogue.exercises[e]
            if let c = model.limitedBy(e) {
                binding.append("blend:\(ex.id):\(catalogue.causes[c].id)")
            } else {
                binding.append("max_units:\(ex.id)")
            }
        }
        if let k = request.maxExercises, used(values, model: model).count >= k { binding.append("max_exercises") }
        if request.strengthShare > 0 {
            let strength = model.usable.filter { catalogue.exercises[$0].modality == .strengthen }
            let strengthTime = model.seconds(values, only: strength)
            if strengthTime <= request.strengthShare * total + 1e-6 * max(1, total) { binding.append("strength_share") }
        }

        let mostAchieved = catalogue.causes.indices.map { c in
            alsoShortest.reduce(achieved[c]) { best, routine in
                max(best, routine.reduce(0) { $0 + catalogue.exercises[$1.0].benefits[c] * $1.1 })
            }
        }
        /// Whether raising cause c's minimum by a point leaves every cap as it is. A blend cap
        /// (share × minimum ÷ points per unit) grows with the minimum, and a looser cap can make
        /// a shorter routine possible: then only a re-solve knows the price (it can be negative).
        func capsUnchanged(_ c: Int) -> Bool {
            var raised = minimums
            raised[c] += 1
            return usable.allSatisfy { e in
                let ex = catalogue.exercises[e]
                return ex.benefits[c] == 0 || RoutineModel.upperBound(ex, minimums: minimums, share: request.maxShare).0
                    == RoutineModel.upperBound(ex, minimums: raised, share: request.maxShare).0
            }
        }
        let costs = try catalogue.causes.indices.map { c in
            // A shortest routine (this one, or another found on the way) already gives this
            // cause a point more than its minimum: with the caps unchanged it is a routine for
            // the raised minimum, and none can be shorter than the shortest for the lower
            // minimum, so the price is exactly zero.
            mostAchieved[c] >= minimums[c] + 1 - 1e-9 && capsUnchanged(c)
                ? MarginalCost(cause: catalogue.causes[c].id, secondsPerPoint: 0, note: nil)
                : try marginalCost(cause: c, routine: routine, minimums: minimums, shortest: shortest, usable: usable,
                                   request: request, timeLimit: timeLimit)
        }
        return Explanation(binding: binding,
                           method: "re-solve: each cause's minimum raised by one point and the MIP solved again to optimality",
                           marginalCosts: costs)
    }

    /// The extra seconds the shortest routine needs when one cause's minimum rises by one point.
    private func marginalCost(cause c: Int, routine: [(Int, Double)], minimums: [Double], shortest: Double, usable: [Int],
                              request: PlanRequest, timeLimit: Double?) throws -> MarginalCost {
        let cause = catalogue.causes[c]
        var raised = minimums
        raised[c] += 1
        if uncoverableCauses(usable: usable, excluded: [], minimums: raised, request: request) != nil {
            return MarginalCost(cause: cause.id, secondsPerPoint: nil,
                                note: "the usable exercises cannot give \(format(raised[c])) points")
        }
        let termination: Termination
        var seconds: Double?
        if planner.usesCore(usable: usable.count) {
            let search = CoreSearch(catalogue: catalogue, usable: usable, minimums: raised, budget: request.budgetSeconds,
                                    request: request, sizes: planner.coreSizes)
            // As on the full path, the routine plus the cheapest extra point is the incumbent.
            let known = raisedIncumbent(routine, cause: c, usable: search.usable, upper: search.upper(of:)) { raised in
                ((try? search.model(over: raised.map(\.0))).flatMap { CoreSearch.start(raised, in: $0) }) != nil
            }
            let outcome = try search.shortest(options: { self.options($0) }, remaining: { timeLimit }, known: known)
            termination = outcome.termination
            seconds = outcome.values.map(outcome.model.seconds)
        } else {
            let model = try minimumTimeModel()
            try model.configure(usable: usable, minimums: raised, budget: request.budgetSeconds, request: request)
            // The routine plus the cheapest extra point of this cause is a routine for the raised
            // minimum: the incumbent that the bound fixes against.
            let s = try raisedIncumbent(routine, cause: c, usable: model.usable, upper: model.upper(of:),
                                        accepts: { CoreSearch.start($0, in: model) != nil }).map {
                try solveFixed(model, start: $0, remaining: { timeLimit }).0
            } ?? model.solve(options(timeLimit))
            termination = s.termination
            seconds = s.allValues.map(model.seconds)
        }
        if let seconds, termination == .optimal {
            let price = seconds - shortest
            return MarginalCost(cause: cause.id, secondsPerPoint: price,
                                note: price < -1e-9 ? "shorter: a higher minimum raises the blend cap (no exercise may give more than \(percent(request.maxShare)) of a minimum), which allows a shorter routine" : nil)
        } else if termination == .infeasible {
            return MarginalCost(cause: cause.id, secondsPerPoint: nil,
                                note: request.budgetSeconds == nil ? "not reachable" : "not reachable within the budget")
        }
        return MarginalCost(cause: cause.id, secondsPerPoint: nil, note: "not computed: \(termination)")
    }

    /// A routine that meets a minimum raised by one point of cause `c`: `routine` with the
    /// cheapest addition (more units of an exercise it uses, or a new one at its least dose)
    /// that still meets every row of the raised request (`accepts`); nil when none of the ten
    /// cheapest does. `upper` is each usable exercise's cap for the raised minimum.
    private func raisedIncumbent(_ routine: [(Int, Double)], cause c: Int, usable: [Int], upper: (Int) -> Double,
                                 accepts: ([(Int, Double)]) -> Bool) -> [(Int, Double)]? {
        let units = Dictionary(routine, uniquingKeysWith: +)
        var candidates: [(cost: Double, e: Int, add: Double)] = []
        for e in usable {
            let ex = catalogue.exercises[e]
            guard ex.benefits[c] > 0 else { continue }
            let have = units[e] ?? 0
            var add = 1 / ex.benefits[c]
            if ex.whole { add = (add - 1e-9).rounded(.up) }
            if have == 0 { add = max(add, ex.minUnits, ex.whole ? 1 : 0) }
            guard have + add <= upper(e) + 1e-9 else { continue }
            candidates.append((ex.secondsPerUnit * add + (have == 0 ? ex.setupSeconds : 0), e, add))
        }
        for candidate in candidates.sorted(by: { ($0.cost, $0.e) < ($1.cost, $1.e) }).prefix(10) {
            var next = units
            next[candidate.e, default: 0] += candidate.add
            let raised = next.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if accepts(raised) { return raised }
        }
        return nil
    }

    private func used(_ values: [Double], model: RoutineModel) -> [Int] {
        model.usable.filter { model.isUsed(values, $0) }
    }

    private func routinePlan(_ status: PlanStatus, values: [Double], model: RoutineModel, request: PlanRequest,
                             minimums: [Double], excluded: [Exclusion], gap: Double?,
                             minimumSecondsNeeded: Double?, explanation: Explanation?, notes: [String]) -> Plan {
        let planned = catalogue.session(model.routine(values), conditions: request.conditions)
        let coverage = catalogue.causes.enumerated().map { c, cause in
            let achieved = model.coverage(values, cause: c)
            return CauseCoverage(id: cause.id, name: cause.name, achieved: achieved, minimum: minimums[c],
                                 met: achieved >= minimums[c] - 1e-6)
        }
        var plan = Plan(status: status, totalSeconds: planned.last?.runningSeconds ?? 0, budgetSeconds: request.budgetSeconds,
                        minimumSecondsNeeded: minimumSecondsNeeded, gap: gap, coverage: coverage, exercises: planned,
                        excluded: excluded.filter(\.shown), uncoverable: [], explanation: explanation, notes: notes)
        plan.orderReason = planned.count > 1 ? Plan.orderRule : nil
        return plan
    }

    private func emptyPlan(_ status: PlanStatus, request: PlanRequest, minimums: [Double], excluded: [Exclusion],
                           uncoverable: [UncoverableCause], notes: [String] = []) -> Plan {
        let coverage = catalogue.causes.enumerated().map { c, cause in
            CauseCoverage(id: cause.id, name: cause.name, achieved: 0, minimum: minimums[c], met: minimums[c] <= 0)
        }
        return Plan(status: status, totalSeconds: 0, budgetSeconds: request.budgetSeconds, minimumSecondsNeeded: nil,
                    gap: nil, coverage: coverage, exercises: [], excluded: excluded.filter(\.shown), uncoverable: uncoverable,
                    explanation: nil, notes: notes)
    }
}


extension Catalogue {
    /// A session's exercises (catalogue index, units) as the person does them, in the order of
    /// ``Plan/orderRule``: warm-up, then position (standing first, lying last), then modality,
    /// with each exercise's time, coverage, instructions, stop cue and the cautions for `conditions`.
    func session(_ chosen: [(Int, Double)], conditions: Set<String>) -> [PlannedExercise] {
        func key(_ e: Int) -> (Int, Int, Int, Int) {
            let ex = exercises[e]
            let position = ex.position.map { Position.allCases.firstIndex(of: $0)! } ?? Position.allCases.count
            return (ex.warmUp ? 0 : 1, position, Modality.allCases.firstIndex(of: ex.modality)!, e)
        }
        var running = 0.0
        var planned: [PlannedExercise] = []
        for (n, (e, units)) in chosen.sorted(by: { key($0.0) < key($1.0) }).enumerated() {
            let ex = exercises[e]
            let seconds = units * ex.secondsPerUnit + ex.setupSeconds
            running += seconds
            var cover: [String: Double] = [:]
            for (c, cause) in causes.enumerated() where ex.benefits[c] > 0 {
                cover[cause.id] = ex.benefits[c] * units
            }
            var item = PlannedExercise(order: n + 1, id: ex.id, name: ex.name, modality: ex.modality, unit: ex.unit,
                                       dose: ex.dose, units: units, seconds: seconds, setupSeconds: ex.setupSeconds,
                                       runningSeconds: running, coverage: cover, instructions: ex.instructions)
            item.sides = ex.sides
            item.restSeconds = ex.restSeconds
            item.stopIf = ex.stopIf
            item.cautions = ex.cautions.filter { conditions.contains($0.condition) }
            item.position = ex.position
            item.warmUp = ex.warmUp
            planned.append(item)
        }
        return planned
    }
}

/// What the search for the shortest routine alone found (``PlanningSession/shortestRoutine(_:)``).
public struct ShortestRoutine: Sendable {
    /// The routine's time, nil without one.
    public let seconds: Double?
    public let termination: Termination
    /// A proven lower bound on the shortest time.
    public let bound: Double?
    /// GLPK's relative gap between the routine and the bound.
    public var relativeGap: Double? {
        guard let seconds, let bound else { return nil }
        return abs(seconds - bound) / (abs(seconds) + Double.ulpOfOne)
    }
}

extension PlanningSession {
    /// The session's standard solve (``SolverPolicy/standard(timeLimit:stop:nodeLimit:)``).
    fileprivate func options(_ timeLimit: Double?, nodeLimit: Int = WorkBounds.nodes) -> SolveOptions {
        SolverPolicy.standard(timeLimit: timeLimit, stop: stop, nodeLimit: nodeLimit)
    }

    /// The shortest-routine search over `usable` exercises (``SolverPolicy/shortestRoutine(timeLimit:stop:relativeGap:usable:)``).
    fileprivate func firstStageOptions(_ timeLimit: Double?, request: PlanRequest, usable: Int) -> SolveOptions {
        SolverPolicy.shortestRoutine(timeLimit: timeLimit, stop: stop, relativeGap: request.relativeGap, usable: usable)
    }
}
