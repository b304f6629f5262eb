import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

/// Issue "Throughput", fewer solves per plan: each shortcut that answers without branch-and-cut
/// gives the answer branch-and-cut gives. The expected answers come from the search itself,
/// run in full on the same model (the first stage's search from its own start, or a plain
/// solve), never from the shortcut.
@Suite("Fewer solves: the shortcuts answer as the full search does")
struct ShortcutTests {
    /// The batch mix on the shipped catalogue, with budgets from 5 to 60 minutes.
    func requests(_ catalogue: Catalogue, count: Int, seed: UInt64) -> [PlanRequest] {
        RequestGenerator(seed: seed).requests(count: count, catalogue: catalogue).enumerated().map { k, generated in
            var r = generated
            r.budgetSeconds = Double(300 + (k * 137) % 3_300)
            r.screen = RedFlagScreen.allClear
            return r
        }
    }

    /// A request without a budget, its focus as it is, and its shortest routine by the full
    /// search (nil when the search does not prove one): what the equipment and price checks start from.
    struct Shortest {
        let request: PlanRequest
        let usable: [Int]
        let minimums: [Double]
        let seconds: Double
        let routine: [(Int, Double)]
    }

    func shortestOf(_ request: PlanRequest, _ session: PlanningSession) throws -> Shortest? {
        var r = request
        r.budgetSeconds = nil
        r.focusSettled = true
        let usable = session.planner.usableIndices(for: r)
        let minimums = session.planner.minimums(for: r)
        let first = try session.fullFirstStage(usable: usable, minimums: minimums, request: r, remaining: { nil })
        guard first.termination == .optimal, let v = first.values else { return nil }
        return Shortest(request: r, usable: usable, minimums: minimums, seconds: first.model.seconds(v), routine: first.model.routine(v))
    }

    /// The search's own answer to "is there a routine, and is the shortest within `limit`?".
    func searched(_ session: PlanningSession, _ trial: PlanRequest, usable: [Int], minimums: [Double],
                  limit: Double) throws -> PlanningSession.Room {
        let first = try session.fullFirstStage(usable: usable, minimums: minimums, request: trial, remaining: { nil })
        guard let values = first.values else { return .noRoutine }
        return first.model.seconds(values) <= limit + 1e-6 ? .fits : .over
    }

    @Test("a focus default's room: the greedy witness and the LP bound decide as the search does (150 requests, each default, three limits)")
    func room() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let planner = Planner(catalogue: catalogue)
        let session = PlanningSession(planner: planner)
        var decided = 0
        var kinds: [PlanningSession.Room: Int] = [:]
        for request in requests(catalogue, count: 150, seed: 23) {
            let usable = planner.usableIndices(for: request)
            let minimums = planner.minimums(for: request)
            let defaults = catalogue.focusBounds(for: request, usable: usable)
                .filter { $0.droppable && $0.lower > 0 }.map { catalogue.focuses[$0.focus].id }
            guard !defaults.isEmpty else { continue }
            var trials: [PlanRequest] = []
            var none = request
            none.skippedFocus.formUnion(defaults)
            trials.append(none)
            for id in defaults {
                var one = request
                one.skippedFocus.formUnion(defaults.filter { $0 != id })
                trials.append(one)
            }
            let budget = request.budgetSeconds ?? .infinity
            for trial in trials {
                for (mins, limit, onlyFits) in [(minimums, budget, false), (minimums, Double.infinity, false),
                                                 (minimums.map { _ in 0 }, budget / 2, true)] {
                    let quick = try session.room(trial, usable: usable, minimums: mins, within: limit, onlyFits: onlyFits,
                                                 remaining: { nil })
                    let full = try searched(session, trial, usable: usable, minimums: mins, limit: limit)
                    if onlyFits {
                        #expect((quick == .fits) == (full == .fits), "room for \(trial) within \(limit) s")
                    } else {
                        #expect(quick == full, "room for \(trial) within \(limit) s")
                    }
                    kinds[full, default: 0] += 1
                    decided += 1
                }
            }
        }
        // The mix reaches every kind of answer, so each argument was put to the test.
        #expect(decided > 500)
        #expect(kinds[.fits, default: 0] > 0 && kinds[.over, default: 0] > 0 && kinds[.noRoutine, default: 0] > 0)
    }

    @Test("the equipment comparison: a saving the bound rules out is none, and one it finds is the shortest time with the item (200 requests)")
    func equipment() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        var planner = Planner(catalogue: catalogue)
        planner.reuse = nil
        let session = PlanningSession(planner: planner)
        var savings = 0, compared = 0
        for request in requests(catalogue, count: 200, seed: 29) {
            guard let known = try shortestOf(request, session) else { continue }
            let (base, usable, minimums, shortest) = (known.request, known.usable, known.minimums, known.seconds)
            let have = base.equipment ?? []
            for item in catalogue.knownEquipment where !have.contains(item) {
                var more = base
                more.equipment = have.union([item])
                let moreUsable = planner.usableIndices(for: more)
                let added = Set(moreUsable).subtracting(usable)
                guard !added.isEmpty else { continue }
                // The full search with the item, on its own model.
                let exact = try session.fullFirstStage(usable: moreUsable, minimums: minimums, request: more, remaining: { nil })
                try #require(exact.termination == .optimal || exact.termination == .infeasible)
                let needed = exact.values.map(exact.model.seconds)
                let model = try session.minimumTimeModel()
                try model.configure(usable: moreUsable, minimums: minimums, budget: nil, request: more)
                let quick = try session.shortestWithItem(model, added: added, shortest: shortest, remaining: { nil })
                if let needed, needed < shortest - 0.5 {
                    let q = try #require(quick, "a saving with \(item) for \(base) was missed")
                    #expect(abs(q - needed) <= 1e-6 * max(1, needed))
                    savings += 1
                } else {
                    #expect(quick == nil, "a saving with \(item) for \(base) that the search does not find")
                }
                compared += 1
            }
        }
        #expect(compared > 200 && savings > 0)
    }

    @Test("the explanation's price of a point: the bound's answer is the re-solve's (150 requests that fit, each cause)")
    func prices() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        var planner = Planner(catalogue: catalogue)
        planner.reuse = nil
        let session = PlanningSession(planner: planner)
        var compared = 0
        for request in requests(catalogue, count: 150, seed: 31) {
            guard let known = try shortestOf(request, session) else { continue }
            let (r, usable, minimums, shortest, routine) = (known.request, known.usable, known.minimums, known.seconds, known.routine)
            for c in catalogue.causes.indices {
                let cost = try session.marginalCost(cause: c, routine: routine, minimums: minimums, shortest: shortest,
                                                    usable: usable, request: r, timeLimit: nil)
                // The re-solve in full: the raised minimum's shortest routine from the standard start.
                var raised = minimums
                raised[c] += 1
                let model = try session.minimumTimeModel()
                try model.configure(usable: usable, minimums: raised, budget: nil, request: r)
                let s = try model.solve(session.options(nil))
                if s.termination == .optimal, let w = s.allValues {
                    let price = try #require(cost.secondsPerPoint, "no price for \(catalogue.causes[c].id) of \(r)")
                    #expect(abs(price - (model.seconds(w) - shortest)) <= 1e-6 * max(1, shortest))
                } else {
                    #expect(cost.secondsPerPoint == nil)
                }
                compared += 1
            }
        }
        #expect(compared > 300)
    }
}
