import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats
@testable import GLPK

/// The hand catalogue (Fixtures/hand): causes A and B with minimum 4, blend share ½ (so no
/// exercise gives more than 2 points to a cause):
///
/// | id | s/unit | setup | max | A | B | blend cap |
/// | e1 | 60     | 0     | 3   | 2 | 0 | 1         |
/// | e2 | 30     | 30    | 3   | 1 | 1 | 2         |
/// | e3 | 40     | 0     | 2   | 0 | 2 | 1         |
/// | e4 | 105    | 0     | 1   | 2 | 2 | 1         |
///
/// Without e4, A ≥ 4 forces e1 = 1 and e2 = 2, then B ≥ 4 forces e3 = 1: 60 + 90 + 40 = 190 s.
/// With e4 the cheapest completions are e4 + 2·e2 = 195 s and e4 + e1 + e3 = 205 s. So the
/// unique optimum is e1 ×1, e2 ×2, e3 ×1 in 190 s, done release → mobilise → strengthen.
@Suite("Planner on a hand-solved catalogue")
struct PlannerTests {
    let catalogue: Catalogue
    init() throws { catalogue = try Catalogue.load(directory: Fixtures.hand) }

    @Test("the shortest routine, in the order release → mobilise → stretch → strengthen")
    func shortest() throws {
        let plan = try Planner(catalogue: catalogue).plan(PlanRequest.bare)
        #expect(plan.status == .optimal)
        #expect(plan.totalSeconds == 190)
        #expect(plan.exercises.map(\.id) == ["e3", "e2", "e1"])
        #expect(plan.exercises.map(\.units) == [1, 2, 1])
        #expect(plan.exercises.map(\.runningSeconds) == [40, 130, 190])
        #expect(plan.coverage.map(\.achieved) == [4, 4])
        #expect(plan.coverage.allSatisfy { $0.met })
    }

    @Test("binding constraints and the exact price of one more point")
    func explanation() throws {
        // A ≥ 5 needs e4 (A from e1, e2 is capped at 4): cheapest e4 + e1 + 2·e2 = 255 s, +65.
        // B ≥ 5 needs e4 too: cheapest e4 + 2·e2 + e3 = 235 s, +45.
        let plan = try Planner(catalogue: catalogue).plan(PlanRequest.bare)
        let why = try #require(plan.explanation)
        #expect(Set(why.binding.map(\.description)) == ["cause:a", "cause:b", "blend:e1:a", "blend:e2:a", "blend:e3:b"])
        #expect(why.marginalCosts.map(\.secondsPerPoint) == [65, 45])
    }

    @Test("a budget that is not enough: minimum needed, and the best routine within it")
    func overBudget() throws {
        // Within 180 s the weakest cause can reach 3 of 4 (75 %): e1 + e2 + e3 = 160 s or
        // e4 + e2 = 165 s; the shorter wins the tie-break.
        var request = PlanRequest.bare
        request.budgetSeconds = 180
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.status == .partial)
        #expect(plan.minimumSecondsNeeded == 190)
        #expect(plan.totalSeconds == 160)
        #expect(plan.exercises.map(\.id) == ["e3", "e2", "e1"])
        #expect(plan.coverage.map(\.achieved) == [3, 3])
        #expect(plan.coverage.allSatisfy { !$0.met })
    }

    @Test("a budget that is exactly enough is met and binds")
    func exactBudget() throws {
        var request = PlanRequest.bare
        request.budgetSeconds = 190
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.status == .optimal && plan.totalSeconds == 190)
        #expect(plan.explanation?.binding.map(\.description).contains("budget") == true)
    }

    @Test("exclusions by condition, equipment and name, each with its reason")
    func exclusions() throws {
        // Without e2: A from e1 (2) + e4 (2), B from e3 (2) + e4 (2): 60 + 40 + 105 = 205 s.
        var request = PlanRequest.bare
        request.conditions = ["flexion-intolerant"]
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.totalSeconds == 205)
        #expect(plan.excluded == [Exclusion(id: "e2", name: "Mobility two", reasons: ["bends the back forwards, which hurts you for now (flexion-intolerant)"])])

        request.equipment = []
        request.excluded = ["e1"]
        let planner = Planner(catalogue: catalogue)
        #expect(planner.exclusions(for: request).map(\.id) == ["e1", "e2", "e3"])
        #expect(planner.exclusions(for: request)[2].reasons == ["needs ball"])
    }

    @Test("a cause nothing can cover is named, with the exclusions that removed its exercises")
    func uncoverable() throws {
        // Without e2 and e4, A can get only e1's 2 points and B only e3's 2.
        var request = PlanRequest.bare
        request.conditions = ["flexion-intolerant"]
        request.excluded = ["e4"]
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.status == .uncoverable)
        #expect(plan.uncoverable.map(\.id) == ["a", "b"])
        #expect(plan.uncoverable.map(\.reachable) == [2, 2])
        #expect(plan.uncoverable[0].removedBy == ["e2", "e4"])
        #expect(plan.uncoverable[0].reason.contains("bends the back forwards, which hurts you for now (flexion-intolerant)"))
        #expect(plan.uncoverable[0].reason.contains("excluded by name"))
    }

    @Test("the blend rule: a larger share allows fewer, bigger exercises")
    func blend() throws {
        // Share 1: e2 may give all 4 points (x ≤ 3 by max_units → A = B = 3 at most), so
        // the best is e2 ×3 + e1 ×... A ≥ 4: 2·e1 + e2 ≥ 4, B: e2 + 2·e3 ≥ 4. e2 = 2, e1 = 1,
        // e3 = 1 costs 190; e2 = 3: A needs e1 (2·1 + 3 ≥ 4), B needs e3: 60+120+40 = 220;
        // e1 = 2, e3 = 2 and no e2: 120 + 80 = 200. So 190 stays optimal at share 1...
        // while share ¼ (1 point per exercise and cause) cannot reach 4 points: uncoverable.
        var request = PlanRequest.bare
        request.maxShare = 1
        #expect(try Planner(catalogue: catalogue).plan(request).totalSeconds == 190)
        request.maxShare = 0.25
        #expect(try Planner(catalogue: catalogue).plan(request).status == .uncoverable)
    }

    @Test("a cap on the number of exercises")
    func cardinality() throws {
        // Two exercises: only e4 + 2·e2 covers both causes (195 s); one exercise cannot.
        var request = PlanRequest.bare
        request.maxExercises = 2
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.totalSeconds == 195)
        #expect(plan.explanation?.binding.map(\.description).contains("max_exercises") == true)
        request.maxExercises = 1
        #expect(try Planner(catalogue: catalogue).plan(request).status == .uncoverable)
    }

    @Test("continuous units: 3 minutes of walking plus setup")
    func continuous() throws {
        let walk = Exercise(id: "walk", name: "Walk", modality: .aerobic, unit: "minute", dose: "", secondsPerUnit: 60,
                            whole: false, maxUnits: 30, setupSeconds: 30, equipment: [], avoidIf: [], benefits: [0.8],
                            source: "test", instructions: "")
        let cat = Catalogue(causes: [Cause(id: "a", name: "A", description: "", defaultMinimum: 2)], exercises: [walk])
        var request = PlanRequest.bare
        request.maxShare = 1
        let plan = try Planner(catalogue: cat).plan(request)
        // 2 points at 0.8 a minute: 2.5 minutes = 150 s, + 30 s setup.
        #expect(abs(plan.totalSeconds - 180) < 1e-6)
        #expect(abs(plan.exercises[0].units - 2.5) < 1e-9)
    }

    @Test("same input, byte-identical output")
    func determinism() throws {
        let planner = Planner(catalogue: catalogue)
        let first = try planner.plan(PlanRequest.bare).jsonText()
        for _ in 0..<5 { #expect(try planner.plan(PlanRequest.bare).jsonText() == first) }
    }

    @Test("the exported LP, read back by GLPK, has the same optimum")
    func exportedModel() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/routine.lp"
            try Planner(catalogue: catalogue).exportModel(PlanRequest.bare, to: path)
            let problem = try GLPK.Problem.read(from: path, format: .cplexLP)
            let solution = try problem.solve()
            #expect(solution.termination == .optimal)
            #expect(solution.objectiveValue == 190)
        }
    }

    @Test("random small catalogues: the planner's shortest time equals enumeration of every routine",
          arguments: 0..<30)
    func enumeration(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let causes = (0..<2 + seed % 2).map { Cause(id: "c\($0)", name: "C\($0)", description: "", defaultMinimum: Double(3 + rng.next() % 6)) }
        let exercises = (0..<5).map { k in
            Exercise(id: "x\(k)", name: "X\(k)", modality: Modality.allCases[Int(rng.next() % 5)], unit: "set", dose: "",
                     secondsPerUnit: Double(10 + rng.next() % 90), whole: true, maxUnits: Double(1 + rng.next() % 3),
                     setupSeconds: Double(rng.next() % 4 * 10), equipment: [], avoidIf: [],
                     benefits: causes.map { _ in Double(rng.next() % 4) }, source: "gen", instructions: "")
        }
        let cat = Catalogue(causes: causes, exercises: exercises)
        var request = PlanRequest.bare
        request.maxShare = [0.5, 0.75, 1][seed % 3]
        if seed % 4 == 0 { request.maxExercises = 3 }
        let expected = bruteForceShortest(cat, minimums: causes.map(\.defaultMinimum), share: request.maxShare,
                                          maxExercises: request.maxExercises)
        let plan = try Planner(catalogue: cat).plan(request)
        if let expected {
            #expect(plan.status == .optimal)
            #expect(abs(plan.totalSeconds - expected) < 1e-6)
        } else {
            #expect(plan.status == .uncoverable)
        }
    }
}

/// Binding limits are typed in the library and written as plans have always written them.
@Suite("Binding limits")
struct BindingLimitTests {
    @Test("each limit writes its documented form and reads back from it; other text is refused")
    func wireForm() throws {
        let cases: [(BindingLimit, String)] = [
            (.budget, "budget"), (.causeMinimum(cause: "trigger"), "cause:trigger"),
            (.blend(exercise: "bird-dog", cause: "muscle"), "blend:bird-dog:muscle"),
            (.maxUnits(exercise: "walk"), "max_units:walk"), (.maxExercises, "max_exercises"),
            (.strengthShare, "strength_share"),
        ]
        for (limit, text) in cases {
            #expect(limit.description == text)
            #expect(BindingLimit(text) == limit)
            let json = try JSONEncoder().encode([limit])
            #expect(String(decoding: json, as: UTF8.self) == "[\"\(text)\"]")
            #expect(try JSONDecoder().decode([BindingLimit].self, from: json) == [limit])
        }
        for bad in ["", "cause", "cause:a:b", "blend:x", "budget:1", "rest:legs"] { #expect(BindingLimit(bad) == nil) }
    }
}

@Suite("Planner at scale")
struct ScaleTests {
    @Test("a solve stopped by its time limit is never called optimal")
    func timeLimit() throws {
        let catalogue = CatalogueGenerator(seed: 7).catalogue(count: 3_000)
        var request = PlanRequest.bare
        request.timeLimit = 0.005
        let plan = try Planner(catalogue: catalogue).plan(request)
        // The greedy routine is the incumbent from the start, so there is always a routine;
        // 5 ms is far too little to prove it shortest.
        #expect(plan.status == .feasible)
        let gap = try #require(plan.gap)
        #expect(gap > 0 && gap <= 1)
        #expect(plan.coverage.allSatisfy { $0.met })
        #expect(plan.notes.contains { $0.contains("shorter routine may exist") })
        // The proof status in the details for a clinician: feasible, with the gap.
        let details = plan.details(catalogue: catalogue)
        #expect(details.first?.hasPrefix("Status feasible: every minimum is met, but GLPK stopped before proving this the shortest; relative gap ") == true)
    }

    @Test("generated catalogues are reproducible from their seed")
    func generator() {
        let a = CatalogueGenerator(seed: 3).catalogue(count: 200), b = CatalogueGenerator(seed: 3).catalogue(count: 200)
        #expect(a.exercises == b.exercises)
        #expect(a.exercises != CatalogueGenerator(seed: 4).catalogue(count: 200).exercises)
    }
}
