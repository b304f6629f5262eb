internal import GLPK

// Which limits bind, and the exact price of one more point of each cause.

extension PlanningSession {
    /// Binding constraints, and the exact price of one more point of each cause by re-solving.
    /// `alsoShortest`: other routines of the shortest time for the request (stage 1's and the
    /// tie-break's), which price a cause at zero when one of them already has its extra point.
    func explain(values: [Double], model: RoutineModel, shortest: Double, alsoShortest: [[(Int, Double)]],
                         usable: [Int], minimums: [Double], request: PlanRequest, timeLimit: Double?) throws -> Explanation {
        // Read before the re-solves re-configure the model.
        let routine = model.routine(values)
        var binding: [BindingLimit] = []
        let total = model.seconds(values)
        if let budget = request.budgetSeconds, total >= budget - 1e-6 { binding.append(.budget) }
        let achieved = catalogue.causes.indices.map { model.coverage(values, cause: $0) }
        for (c, cause) in catalogue.causes.enumerated() where minimums[c] > 0 && achieved[c] <= minimums[c] + 1e-6 {
            binding.append(.causeMinimum(cause: cause.id))
        }
        for e in model.usable where model.units(values, e) >= model.upper(of: e) - 1e-6 {
            let ex = catalogue.exercises[e]
            if let c = model.limitedBy(e) {
                binding.append(.blend(exercise: ex.id, cause: catalogue.causes[c].id))
            } else {
                binding.append(.maxUnits(exercise: ex.id))
            }
        }
        if let k = request.maxExercises, used(values, model: model).count >= k { binding.append(.maxExercises) }
        if request.strengthShare > 0 {
            let strength = model.usable.filter { catalogue.exercises[$0].strengthens }
            let strengthTime = model.seconds(values, only: strength)
            let balanceTime = model.seconds(values, only: model.usable.filter { catalogue.exercises[$0].isBalance })
            if StrengthShareRule.binds(strength: strengthTime, total: total - balanceTime, share: request.strengthShare) { binding.append(.strengthShare) }
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
    func marginalCost(cause c: Int, routine: [(Int, Double)], minimums: [Double], shortest: Double, usable: [Int],
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
            // Only the value is wanted: the bound may prove the incumbent shortest (``leastValue``).
            if let start = raisedIncumbent(routine, cause: c, usable: model.usable, upper: model.upper(of:),
                                           accepts: { CoreSearch.start($0, in: model) != nil }) {
                switch try leastValue(model, start: start, remaining: { timeLimit }) {
                case .exact(let value): (termination, seconds) = (.optimal, value)
                case .stopped(let why): (termination, seconds) = (why, nil)
                }
            } else {
                let s = try model.solve(options(timeLimit))
                termination = s.termination
                seconds = s.allValues.map(model.seconds)
            }
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
    func raisedIncumbent(_ routine: [(Int, Double)], cause c: Int, usable: [Int], upper: (Int) -> Double,
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
}
