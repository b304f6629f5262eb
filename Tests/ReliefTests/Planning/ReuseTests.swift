import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

/// Issue "Throughput": answers kept for requests that come again never change a byte.
@Suite("Exact reuse across requests")
struct ReuseTests {
    /// Every request planned with reuse (in a shuffled order with repeats, so that answers are
    /// taken from earlier requests of the same sub-problem) and without, compared as the JSON
    /// document the command prints.
    func compare(_ catalogue: Catalogue, _ requests: [PlanRequest], strategy: SolveStrategy) throws -> (Int, ReuseCache) {
        var fresh = Planner(catalogue: catalogue, strategy: strategy)
        fresh.reuse = nil
        let reusing = Planner(catalogue: catalogue, strategy: strategy)
        let cache = try #require(reusing.reuse)
        let withReuse = PlanningSession(planner: reusing)
        let without = PlanningSession(planner: fresh)
        var rng = SplitMix64(seed: UInt64(requests.count))
        var order = requests + requests.prefix(requests.count / 3)
        order.shuffle(using: &rng)
        var compared = 0
        for request in order {
            let a = try withReuse.plan(request).jsonText()
            let b = try without.plan(request).jsonText()
            #expect(a == b, "reuse changed the plan for \(request)")
            if a != b { break }
            compared += 1
        }
        return (compared, cache)
    }

    /// The batch mix with some requests explained, and some with budgets that fit their sub-problem.
    func requests(_ catalogue: Catalogue, count: Int, seed: UInt64) -> [PlanRequest] {
        RequestGenerator(seed: seed).requests(count: count, catalogue: catalogue).enumerated().map { k, generated in
            var r = generated
            if k % 4 == 0 { r.explain = true }
            if k % 5 == 0 { r.budgetSeconds = nil }
            r.screen = k % 2 == 0 ? RedFlagScreen.allClear : nil
            return r
        }
    }

    @Test("the shipped catalogue: 400 requests of the batch mix, reuse on and off, byte for byte")
    func shipped() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let (compared, cache) = try compare(catalogue, requests(catalogue, count: 400, seed: 11), strategy: .full)
        #expect(compared == 400 + 133)
        // The mix repeats itself: stages and whole plans were taken from earlier requests.
        let stats = cache.statistics
        #expect(stats.planHits > 0 && stats.stageHits > 0)
    }

    @Test("generated catalogues with both strategies, reuse on and off, byte for byte", arguments: [SolveStrategy.full, .core])
    func generated(strategy: SolveStrategy) throws {
        for seed: UInt64 in [1, 2, 3] {
            let catalogue = CatalogueGenerator(seed: seed, shape: .easy).catalogue(count: 40)
            let (compared, _) = try compare(catalogue, requests(catalogue, count: 60, seed: seed), strategy: strategy)
            #expect(compared == 60 + 20)
        }
    }

    @Test("a bounded cache stays within its limit and keeps giving the same answers")
    func bounded() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        var planner = Planner(catalogue: catalogue)
        planner.reuse = ReuseCache(limit: 5)
        var fresh = planner
        fresh.reuse = nil
        let a = PlanningSession(planner: planner), b = PlanningSession(planner: fresh)
        for request in requests(catalogue, count: 40, seed: 5) {
            #expect(try a.plan(request).jsonText() == b.plan(request).jsonText())
        }
    }
}
