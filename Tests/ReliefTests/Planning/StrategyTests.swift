import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

@Suite("Comparison strategies")
struct StrategyTests {
    @Test("greedy on the hand catalogue: e3, then e4, then e1 — 205 s against the optimum's 190 s")
    func greedyByHand() throws {
        // Caps: e1 1, e2 2, e3 1, e4 1; minimums A 4, B 4. Uncovered coverage per second:
        // step 1: e1 2/60, e2 2/60, e3 2/40, e4 4/105 → e3 (B left 2);
        // step 2: e1 2/60, e2 2/60, e4 (2 + 2)/105 → e4 (A left 2, B done);
        // step 3: e1 2/60, e2 1/60 → e1. Time 40 + 105 + 60 = 205 s.
        let planner = Planner(catalogue: try Catalogue.load(directory: Fixtures.hand))
        let greedy = try planner.outcome(of: .greedy, for: PlanRequest.bare)
        #expect(greedy.seconds == 205 && greedy.coversAll && greedy.exercises == 3)
        #expect(try planner.outcome(of: .optimal, for: PlanRequest.bare).seconds == 190)
    }

    @Test("one technique, as good as it can be: release alone gives B half its minimum, A nothing")
    func singleTechniqueByHand() throws {
        // Only e3 is release: capped at 1 set = 2 of B's 4 points, in 40 s.
        let planner = Planner(catalogue: try Catalogue.load(directory: Fixtures.hand))
        var request = PlanRequest.bare
        request.budgetSeconds = 600
        let release = try planner.outcome(of: .onlyRelease, for: request)
        #expect(release.fractions == [0, 0.5])
        #expect(release.seconds == 40)
        #expect(!release.coversAll)
        // No McGill exercise in this catalogue: the template is empty.
        #expect(try planner.outcome(of: .template, for: request).seconds == 0)
    }

    @Test("on shipped profiles: every strategy keeps to the budget, and none covers all in less time than the optimum",
          arguments: ["desk-worker.json", "time-poor-parent.json", "sciatica.json"])
    func properties(profile: String) throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let planner = Planner(catalogue: catalogue)
        for minutes in [8.0, 15, 30] {
            var request = try Profile.load(path: Fixtures.shipped + "/profiles/" + profile, catalogue: catalogue).request
            request.budgetSeconds = minutes * 60
            // The strategies know only the causes' minimums: the optimum they are held to is the
            // one without focus rows (every focus at 0), which no routine meeting them beats.
            var bare = request
            for focus in catalogue.focuses { bare.focus[focus.id] = 0 }
            let optimum = try planner.outcome(of: .optimal, for: bare)
            for strategy in Strategy.allCases {
                let o = try planner.outcome(of: strategy, for: request)
                #expect(o.seconds <= minutes * 60 + 1e-6, "\(strategy) over budget")
                if o.coversAll { #expect(optimum.coversAll && optimum.seconds <= o.seconds + 1e-6, "\(strategy) beat the optimum") }
                if let k = request.maxExercises { #expect(o.exercises <= k) }
            }
        }
    }
}
