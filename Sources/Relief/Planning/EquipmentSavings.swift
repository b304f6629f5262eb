// How much time each piece of equipment the person does not have would save.

extension PlanningSession {
    /// For each piece of equipment the person did not list, how much shorter the shortest
    /// routine that covers every cause would be with it (only those that save time, most first).
    func equipmentSavings(_ request: PlanRequest, have: Set<String>, shortest: Double) throws -> [EquipmentSaving] {
        let known = shortestRoutine
        Diagnostics.trace(1, "equipment: from \(known == nil ? "nothing known" : "the known shortest routine")")
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
                // No new exercise, no shorter routine.
                let usable = planner.usableIndices(for: more)
                guard usable.count > known.usable.count else { continue }
                let minimums = planner.minimums(for: more)
                let reuse = request.timeLimit == nil ? planner.reuse : nil
                let key = ReuseCache.StageKey(usable: usable, minimums: minimums, request: more, tieBreak: false, catalogue: catalogue)
                if let seconds = reuse?.shortestTime(key) {
                    needed = seconds
                } else {
                    let model = try minimumTimeModel()
                    try model.configure(usable: usable, minimums: minimums, budget: nil, request: more)
                    needed = try shortestWithItem(model, added: Set(usable).subtracting(known.usable), shortest: shortest,
                                                  remaining: { request.timeLimit })
                    if let needed, stop?.isStopped != true { reuse?.storeShortestTime(needed, for: key) }
                }
            } else {
                Diagnostics.trace(1, "equipment: \(item) planned afresh")
                let plan = try solve(more, tieBreak: false)
                needed = plan.status == .optimal ? plan.totalSeconds : nil
            }
            if let needed, needed < shortest - 0.5 {
                savings.append(EquipmentSaving(equipment: item, secondsSaved: shortest - needed))
            }
        }
        return savings.sorted { ($0.secondsSaved, $1.equipment) > ($1.secondsSaved, $0.equipment) }
    }

    /// The shortest time with one more piece of equipment, when it is a saving shown (at least
    /// half a second under `shortest`, the proven shortest without it); nil otherwise. `model`
    /// is configured for the request with the item; `added` are the exercises it makes usable.
    ///
    /// Why the bound may answer. A routine with the item that uses none of `added` is a routine
    /// without it (on the other exercises the rows are the same or tighter: focus rows count
    /// more usable members, dominance rows switch on), so it takes at least `shortest`. Every
    /// routine of at most `cutoff` = `shortest` - 0.5 therefore uses an added exercise, and only
    /// exercises that survive the LP's Lagrangian bound at `cutoff` (``RoutineModel/lagrangian(_:)``)
    /// can be in it. So: no saving when the relaxation has no point, when the bound is at
    /// least `cutoff`, or when no added exercise survives; else branch-and-cut over the
    /// survivors, whose optimum is the shortest overall whenever it is at most `cutoff` (a
    /// routine using a dropped exercise takes longer than `cutoff`). The routine without the
    /// item is no incumbent here (it is longer than `cutoff`, and the item's ladders or
    /// dominance rows may even rule it out). What is returned is a proven optimum: the value
    /// ``ReuseCache/storeShortestTime(_:for:)`` keeps.
    func shortestWithItem(_ model: RoutineModel, added: Set<Int>, shortest: Double,
                          remaining: () -> Double?) throws -> Double? {
        let cutoff = shortest - 0.5
        model.problem.resetBasis()
        let lp = try model.problem.solveRelaxation(options(remaining()))
        if lp.termination == .infeasible { return nil }
        var keep = Set(model.members)
        if lp.termination == .optimal, lp.hasDuals {
            let (bound, values) = try model.lagrangian(lp)
            if bound >= cutoff { return nil }
            keep = Set(model.survivors(bound: bound, values: values, limit: cutoff))
            Diagnostics.trace(1, "equipment: bound \(bound) under \(cutoff); \(keep.intersection(added).count) of \(added.count) added survive, \(keep.count) in all")
            if keep.isDisjoint(with: added) { return nil }
        }
        let s = try model.withOnly(keep) { try model.solve(options(remaining())) }
        guard s.termination == .optimal, let v = s.allValues else { return nil }
        let seconds = model.seconds(v)
        return seconds < cutoff ? seconds : nil
    }
}
