// The order a session is done in, and what each exercise in it says.

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
