import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

/// Every routine of a small catalogue in whole units, and the answer each stage of the planner
/// must give, found by trying them all: an oracle that shares no code with the planner (no
/// model, no GLPK, no dominance rows).
private struct Enumerated {
    /// The shortest time that meets every minimum within the budget (nil: none).
    var shortest: Double?
    /// The most coverage among routines that short.
    var coverageAtShortest = -Double.infinity
    /// The largest weakest fraction of the minimums within the budget.
    var bestFraction = -Double.infinity
    /// The shortest time at that fraction, and the most coverage at that time and fraction.
    var shortestAtFraction = Double.infinity
    var coverageAtFraction = -Double.infinity
    /// The least sum of catalogue positions (1, 2, …) among the routines the plan may show.
    var canonicalSum = Int.max
}

private func enumerate(_ catalogue: Catalogue, minimums: [Double], request: PlanRequest) -> Enumerated {
    let exercises = catalogue.exercises
    let budget = request.budgetSeconds ?? .infinity
    var routines: [(time: Double, coverage: Double, fraction: Double, meets: Bool, positions: Int)] = []
    var units = [Int](repeating: 0, count: exercises.count)
    func visit(_ k: Int) {
        guard k == exercises.count else {
            let least = request.included.contains(exercises[k].id) ? 1 : 0
            for u in least...Int(exercises[k].maxUnits) { units[k] = u; visit(k + 1) }
            return
        }
        var time = 0.0, strength = 0.0, used = 0, positions = 0
        var cover = [Double](repeating: 0, count: minimums.count)
        for (e, ex) in exercises.enumerated() where units[e] > 0 {
            used += 1
            positions += e + 1
            time += Double(units[e]) * ex.secondsPerUnit + ex.setupSeconds
            if ex.modality == .strengthen { strength += Double(units[e]) * ex.secondsPerUnit }
            for c in minimums.indices {
                let give = ex.benefits[c] * Double(units[e])
                if minimums[c] > 0 && give > request.maxShare * minimums[c] + 1e-9 { return }
                cover[c] += give
            }
        }
        if let k = request.maxExercises, used > k { return }
        if time > budget + 1e-9 || strength < request.strengthShare * time - 1e-9 { return }
        var fraction = 1.0
        for c in minimums.indices where minimums[c] > 0 { fraction = min(fraction, cover[c] / minimums[c]) }
        let meets = minimums.indices.allSatisfy { cover[$0] >= minimums[$0] - 1e-9 }
        routines.append((time, cover.reduce(0, +), fraction, meets, positions))
    }
    visit(0)
    var result = Enumerated()
    let meeting = routines.filter(\.meets)
    if let shortest = meeting.map(\.time).min() {
        result.shortest = shortest
        let tied = meeting.filter { $0.time <= shortest + 1e-9 }
        result.coverageAtShortest = tied.map(\.coverage).max()!
        result.canonicalSum = tied.filter { $0.coverage >= result.coverageAtShortest - 1e-9 }.map(\.positions).min()!
    } else if !routines.isEmpty {
        result.bestFraction = routines.map(\.fraction).max()!
        // No routine in the budget works on every cause: the most coverage the whole budget
        // allows, then the earliest exercises (what fits is done, and none is an empty routine).
        if result.bestFraction <= 1e-9 {
            result.coverageAtFraction = routines.map(\.coverage).max()!
            let most = routines.filter { $0.coverage >= result.coverageAtFraction - 1e-9 }
            result.canonicalSum = most.map(\.positions).min()!
            result.shortestAtFraction = most.filter { $0.positions == result.canonicalSum }.map(\.time).min()!
            return result
        }
        let best = routines.filter { $0.fraction >= result.bestFraction - 1e-9 }
        result.shortestAtFraction = best.map(\.time).min()!
        let tied = best.filter { $0.time <= result.shortestAtFraction + 1e-9 }
        result.coverageAtFraction = tied.map(\.coverage).max()!
        result.canonicalSum = tied.filter { $0.coverage >= result.coverageAtFraction - 1e-9 }.map(\.positions).min()!
    }
    return result
}

@Suite("Dominance rows against enumeration")
struct DominanceTests {
    /// Catalogues full of twins and near-twins (few distinct times, setups and weights), so
    /// that many pairs dominate one another, with strengthening among them.
    static func catalogue(seed: Int) -> Catalogue {
        var rng = SplitMix64(seed: UInt64(1_000 + seed))
        let causes = (0..<3).map { Cause(id: "c\($0)", name: "C\($0)", description: "", defaultMinimum: Double(4 + rng.next() % 5)) }
        let exercises = (0..<7).map { k in
            Exercise(id: "x\(k)", name: "X\(k)", modality: rng.next() % 2 == 0 ? .strengthen : .stretch, unit: "set", dose: "",
                     secondsPerUnit: Double([30, 30, 45][Int(rng.next() % 3)]), whole: true, maxUnits: Double(1 + rng.next() % 3),
                     setupSeconds: Double([0, 10][Int(rng.next() % 2)]), equipment: [], avoidIf: [],
                     benefits: causes.map { _ in Double(rng.next() % 3) }, source: "gen", instructions: "")
        }
        return Catalogue(causes: causes, exercises: exercises)
    }

    @Test("the planner's routine is the one enumeration picks at every stage, within and over the budget",
          arguments: 0..<60)
    func againstEnumeration(seed: Int) throws {
        let cat = Self.catalogue(seed: seed)
        let planner = Planner(catalogue: cat)
        // The catalogue has pairs for the rows to act on (else the test would show nothing).
        let model = try RoutineModel(catalogue: cat, mode: .minimiseTime)
        #expect(!model.dominance.isEmpty)

        var request = PlanRequest.bare
        request.explain = true
        request.maxShare = [0.5, 0.75, 1][seed % 3]
        request.strengthShare = seed % 2 == 0 ? 0 : 0.4
        if seed % 5 == 0 { request.maxExercises = 3 }
        if seed % 7 == 3 { request.included = ["x\(seed % 7)"] }
        // Every fourth request has a budget too short for its minimums.
        let minimums = cat.causes.map(\.defaultMinimum)
        let unlimited = enumerate(cat, minimums: minimums, request: request)
        if seed % 4 == 1, let shortest = unlimited.shortest { request.budgetSeconds = (shortest * 0.6).rounded() }
        let expected = enumerate(cat, minimums: minimums, request: request)

        let plan = try planner.plan(request)
        let positions = plan.exercises.map { p in cat.exercises.firstIndex { $0.id == p.id }! + 1 }.reduce(0, +)
        let coverage = plan.coverage.map(\.achieved).reduce(0, +)
        if let shortest = expected.shortest {
            #expect(plan.status == .optimal)
            #expect(abs(plan.totalSeconds - shortest) < 1e-6)
            #expect(abs(coverage - expected.coverageAtShortest) < 1e-6)
            #expect(positions == expected.canonicalSum)
            // The price of one more point of each cause: the shortest time with that minimum
            // raised (caps follow the raised minimum), less this one; none when nothing reaches it.
            let costs = try #require(plan.explanation).marginalCosts
            for (c, cause) in cat.causes.enumerated() {
                var raised = minimums
                raised[c] += 1
                let cost = try #require(costs.first { $0.cause == cause.id })
                if let higher = enumerate(cat, minimums: raised, request: request).shortest {
                    #expect(cost.secondsPerPoint.map { abs($0 - (higher - shortest)) < 1e-6 } == true, "seed \(seed) \(cause.id): \(String(describing: cost.secondsPerPoint)) \(cost.note ?? "") expected \(higher - shortest); \(request.budgetSeconds ?? -1) share \(request.strengthShare) \(request.included)")
                } else {
                    #expect(cost.secondsPerPoint == nil, "seed \(seed) \(cause.id)")
                }
            }
        } else if expected.bestFraction > -Double.infinity, request.budgetSeconds != nil, unlimited.shortest != nil {
            // A routine that fits is partial; only nothing at all (the empty routine) is over budget.
            #expect(plan.status == (expected.canonicalSum == 0 ? .overBudget : .partial))
            let fraction = plan.coverage.filter { $0.minimum > 0 }.map { $0.achieved / $0.minimum }.min() ?? 1
            #expect(abs(fraction - min(1, expected.bestFraction)) < 1e-6)
            #expect(abs(plan.totalSeconds - expected.shortestAtFraction) < 1e-6)
            #expect(abs(coverage - expected.coverageAtFraction) < 1e-6)
            #expect(positions == expected.canonicalSum)
        } else {
            #expect(!plan.meetsRequest)
        }
    }
}
