// How much time each piece of equipment the person does not have would save.

extension PlanningSession {
    /// For each piece of equipment the person did not list, how much shorter the shortest
    /// routine that covers every cause would be with it (only those that save time, most first).
    func equipmentSavings(_ request: PlanRequest, have: Set<String>, shortest: Double) throws -> [EquipmentSaving] {
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
                let key = ReuseCache.StageKey(usable: usable, minimums: minimums, request: more, tieBreak: false, catalogue: catalogue)
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
}
