import Foundation
import Testing
@testable import Relief
import ReliefFormats

/// Small random catalogues full of ties (equal exercises, equal ratios), with every rule a
/// request can set: what the large-catalogue search (``CoreSearch``) answers must be what
/// branch-and-cut on the whole model answers, routine for routine.
enum RandomCatalogue {
    static func make(seed: UInt64) -> (Catalogue, PlanRequest) {
        var rng = SplitMix64(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let causes = ["a", "b", "c"].map { Cause(id: $0, name: $0.uppercased(), description: "", defaultMinimum: 10) }
        let count = 8 + pick(40)
        var exercises: [Exercise] = []
        for k in 0..<count {
            if k > 0 && pick(5) == 0 {
                // An exact copy under another id: the most degenerate tie there is.
                let twin = exercises[pick(exercises.count)]
                var copy = Exercise(id: "e\(k)", name: "E\(k)", modality: twin.modality, unit: twin.unit, dose: "",
                                    secondsPerUnit: twin.secondsPerUnit, whole: twin.whole, maxUnits: twin.maxUnits,
                                    setupSeconds: twin.setupSeconds, equipment: [], avoidIf: twin.avoidIf,
                                    benefits: twin.benefits, source: "test", instructions: "")
                copy.minUnits = twin.minUnits
                exercises.append(copy)
                continue
            }
            let continuous = pick(6) == 0
            let modality: Modality = continuous ? .aerobic : [.stretch, .mobilise, .release, .strengthen][pick(4)]
            var benefits = (0..<3).map { _ in Double(pick(3)) }
            benefits[pick(3)] = Double(2 + pick(5))
            var ex = Exercise(id: "e\(k)", name: "E\(k)", modality: modality, unit: continuous ? "minute" : "set", dose: "",
                              secondsPerUnit: continuous ? 60 : Double(2 + pick(8)) * 10, whole: !continuous,
                              maxUnits: continuous ? Double(10 + pick(20)) : Double(1 + pick(4)),
                              setupSeconds: Double(pick(4)) * 10, equipment: [], avoidIf: pick(8) == 0 ? ["flare"] : [],
                              benefits: continuous ? benefits.map { $0 / 2 } : benefits, source: "test", instructions: "")
            if continuous && pick(2) == 0 { ex.minUnits = 5 }
            exercises.append(ex)
        }
        var request = PlanRequest()
        request.equipment = nil
        request.minimums = ["a": Double(4 + pick(20)), "b": Double(4 + pick(20)), "c": Double(pick(16))]
        request.maxShare = [0.5, 1, 0.34][pick(3)]
        request.strengthShare = pick(3) == 0 ? 0.3 : 0
        if pick(3) == 0 { request.maxExercises = 3 + pick(6) }
        if pick(3) == 0 { request.budgetSeconds = Double(300 + pick(900)) }
        if pick(4) == 0 && exercises.contains(where: { !$0.avoidIf.isEmpty }) { request.conditions = ["flare"] }
        if pick(4) == 0 { request.excluded = ["e\(pick(count))"] }
        if pick(6) == 0 {
            let id = "e\(pick(count))"
            if !request.excluded.contains(id), !(request.conditions.contains("flare") && exercises.first { $0.id == id }!.avoidIf.contains("flare")) {
                request.included = [id]
            }
        }
        request.timeLimit = 60
        return (Catalogue(causes: causes, exercises: exercises), request)
    }
}

@Suite("The large-catalogue search against branch-and-cut on the whole model")
struct CoreSearchTests {
    @Test("300 random catalogues: same status, the same plan, byte for byte")
    func sameAnswers() throws {
        var compared = 0, optimal = 0
        for seed in 1...300 as ClosedRange<UInt64> {
            let (catalogue, request) = RandomCatalogue.make(seed: seed)
            let full = try Planner(catalogue: catalogue, strategy: .full).plan(request)
            // A working set of 2 per cause and a core of 3 more: every step of the method runs
            // (column generation, the bound, fixing, branch-and-cut over the survivors).
            var corePlanner = Planner(catalogue: catalogue, strategy: .core)
            corePlanner.coreSizes = CoreSearch.Sizes(perCause: 2, core: 3)
            let core = try corePlanner.plan(request)
            compared += 1
            if full.status == .optimal { optimal += 1 }
            #expect(full.status == core.status, "seed \(seed)")
            #expect(abs(full.totalSeconds - core.totalSeconds) <= 1e-8 * max(1, full.totalSeconds), "seed \(seed): \(full.totalSeconds) vs \(core.totalSeconds)")
            // The answer a person or program reads: the same bytes (numbers to 3 decimals).
            let a = try full.jsonText(), b = try core.jsonText()
            #expect(a == b, "seed \(seed): the JSON differs")
            if a != b {
                let lines = zip(a.split(separator: "\n"), b.split(separator: "\n")).filter { $0.0 != $0.1 }.prefix(4)
                print("seed \(seed):", lines.map { "\($0.0) | \($0.1)" }.joined(separator: "\n"))
            }
        }
        // The generator must exercise the interesting case, not only infeasible requests.
        #expect(optimal > 150, "only \(optimal) of \(compared) requests had a shortest routine")
    }
}
