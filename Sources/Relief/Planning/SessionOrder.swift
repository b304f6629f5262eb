// The order a session is done in, and what each exercise in it says.

extension Catalogue {
    /// A session's exercises (catalogue index, units) as the person does them: warm-up, then
    /// position (standing first, lying last: one trip down to the floor), then modality (release,
    /// mobilise, stretch, strengthen, aerobic), then catalogue order (``Plan/orderReason(for:)``
    /// says which of these the session shows),
    /// with each exercise's time, coverage, instructions, stop cue and the cautions for `conditions`.
    ///
    /// Directional preference comes early: for a condition with a direction focus (extension for
    /// flexion intolerance: a condition's focus of movements, none of them strengthening, unlike
    /// osteoporosis's leg strength), the position of that focus's exercises leads the positions after
    /// the warm-up (with the other floor position next to it, so the floor still comes once),
    /// since McKenzie's approach loads the preferred direction early (Long et al., Spine 2004);
    /// within a position the kinds keep their order, which the order line states.
    func session(_ chosen: [(Int, Double)], conditions: Set<String>) -> [PlannedExercise] {
        let preferred = Set(focuses.filter { f in
            guard f.minimum > 0, case .conditions(let cs) = f.applies,
                  f.members.allSatisfy({ exercises[$0].modality != .strengthen }) else { return false }
            return !cs.isDisjoint(with: conditions)
        }.flatMap(\.members)).intersection(chosen.map(\.0))
        var positions = Position.allCases
        if let lead = chosen.map(\.0).filter(preferred.contains).compactMap({ exercises[$0].position }).sorted(by: {
            Position.allCases.firstIndex(of: $0)! < Position.allCases.firstIndex(of: $1)!
        }).first {
            let floor: [Position] = [.kneeling, .lying]
            let group = floor.contains(lead) ? [lead] + floor.filter { $0 != lead } : [lead]
            positions = group + positions.filter { !group.contains($0) }
        }
        // A warm-up on the floor leads only a session that is all on the floor; with standing or
        // sitting work it comes first of the floor's exercises, so the person gets down to the
        // floor once (fourth physiotherapist read, WRONG 12: each extra trip down is a fall and
        // pain risk with osteoporosis or in a flare).
        let floor: Set<Position> = [.kneeling, .lying]
        let onFloor = { (e: Int) in exercises[e].position.map(floor.contains) ?? false }
        let allOnFloor = chosen.allSatisfy { onFloor($0.0) }
        let firstFloor = positions.firstIndex { floor.contains($0) } ?? positions.count
        func key(_ e: Int) -> (Int, Int, Int, Int, Int) {
            let ex = exercises[e]
            let leads = ex.warmUp && (allOnFloor || !onFloor(e))
            let position = ex.warmUp && !leads ? firstFloor : ex.position.flatMap { positions.firstIndex(of: $0) } ?? positions.count
            return (leads ? 0 : 1, position, ex.warmUp ? 0 : 1, Modality.allCases.firstIndex(of: ex.modality)!, e)
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
            item.group = ex.group
            planned.append(item)
        }
        return planned
    }
}

extension Plan {
    /// Why a session's exercises come in the order they do, said only of what this session
    /// has: a warm-up when it starts with one, the positions it moves through (and that the
    /// floor comes once only when it does), the kinds of exercise that share a position.
    /// Nil when there is nothing to say (one exercise, or one position and one kind).
    public static func orderReason(for exercises: [PlannedExercise]) -> String? {
        guard exercises.count > 1 else { return nil }
        var parts: [String] = []
        let warmUps = exercises.prefix { $0.warmUp }
        let rest = Array(exercises.dropFirst(warmUps.count))
        if !warmUps.isEmpty { parts.append(listed(warmUps.map(\.name)) + " first, to warm up") }
        var positions: [Position] = []
        for p in rest.compactMap(\.position) where !positions.contains(p) { positions.append(p) }
        let then = warmUps.isEmpty ? "" : "then "
        if positions.count > 1 {
            let floor: Set<Position> = [.kneeling, .lying]
            let onFloor = exercises.indices.filter { exercises[$0].position.map(floor.contains) ?? false }
            let floorOnce = !onFloor.isEmpty && onFloor.last! - onFloor.first! + 1 == onFloor.count
            parts.append(then + "by position (" + positions.map(\.rawValue).joined(separator: ", then ") + ")"
                         + (floorOnce ? ", so you get down to the floor once" : ""))
        }
        if positions.count == 1, rest.count > 1 { parts.append((warmUps.isEmpty ? "all " : "then the rest ") + positions[0].rawValue) }
        var kinds: [Modality] = []
        for p in positions {
            let here = Set(rest.filter { $0.position == p }.map(\.modality))
            if here.count > 1 { kinds += here.filter { !kinds.contains($0) } }
        }
        if positions.count <= 1 { kinds = Array(Set(rest.map(\.modality))) }
        kinds.sort()
        if kinds.count > 1 {
            let words = kinds.map { $0 == .aerobic ? "aerobic work" : $0.rawValue }
            parts.append((positions.count > 1 ? "within a position, " : positions.isEmpty ? then : "") + words[0] + ", then " + listed(Array(words.dropFirst())))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// "a", "a and b", "a, b and c".
    static func listed(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
