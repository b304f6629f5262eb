// Causes the usable exercises cannot cover, and why.

extension PlanningSession {
    /// Causes whose minimum the usable exercises cannot reach even all at their caps.
    func uncoverableCauses(usable: [Int], excluded: [Exclusion], minimums: [Double],
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
                reason += "; no exercise may give more than \(percent(request.maxShare)) of a minimum (the blend rule)"
            }
            result.append(UncoverableCause(id: cause.id, name: cause.name, minimum: minimums[c], reachable: reach,
                                           reason: reason, removedBy: removed.map(\.id)))
        }
        return result.isEmpty ? nil : result
    }
}
