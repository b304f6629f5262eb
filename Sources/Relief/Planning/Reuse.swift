import Foundation
internal import GLPK

/// Exact reuse of answers across requests (a batch, a server, a programme's weeks).
///
/// Why it never changes a byte. A plan is a function of its request: every solve starts from
/// GLPK's standard basis on a model configured from the request alone, GLPK is deterministic,
/// and without a time limit every search is bounded by a node count (``WorkBounds``), not by
/// the clock. So two kinds of answer are kept:
/// - the whole ``Plan`` of a request without a time limit, keyed by the request itself;
/// - the stages that do not depend on the budget, keyed by the canonical sub-problem
///   (``StageKey``: the usable exercises after conditions, equipment and exclusions, the
///   minimums, the shares, the cardinality, the included exercises, the gap): the shortest
///   routine (stage 1 is solved without the budget), and, when it fits the budget, the routine
///   the tie-break and the canonical stage pick among equally short ones (their model caps the
///   time at exactly the shortest, `min(budget, shortest)` = shortest for every budget that
///   fits, so no budget that fits enters them). Two requests whose conditions leave out the
///   same exercises share these, whatever their budgets (as long as both fit).
/// - the proven shortest time of each sub-problem the equipment comparison asks about (the
///   request's exercises plus those one more piece of equipment makes usable): an optimum's
///   value does not depend on the routine the search started from.
/// Answers of a search that was stopped (a deadline, a cancelled request) are never kept.
/// Bounded: past its limit a kind is emptied and filled again. Whole plans are the large kind
/// (tens of kilobytes each with their instructions: 2,000 of them took about 100 MB in
/// `relief serve`), so they are kept up to `planLimit`; the stages' points are small.
public final class ReuseCache: @unchecked Sendable {
    public struct StageKey: Hashable, Sendable {
        let usable: [Int]
        let minimums: [Double]
        let maxShare: Double
        let strengthShare: Double
        let maxExercises: Int?
        let included: [String]
        let relativeGap: Double
        let tieBreak: Bool
        /// The focus rows as the request configures them (``FocusBound``).
        let focus: [FocusBound]

        /// The sub-problem of `request` over `usable` with these minimums: every field of the
        /// request the stages' models read, and nothing else (not the budget, the screen, the
        /// conditions or equipment beyond the exercises they leave usable).
        init(usable: [Int], minimums: [Double], request: PlanRequest, tieBreak: Bool, catalogue: Catalogue) {
            self.usable = usable
            self.minimums = minimums
            maxShare = request.maxShare
            strengthShare = request.strengthShare
            maxExercises = request.maxExercises
            included = request.included.sorted()
            relativeGap = request.relativeGap
            self.tieBreak = tieBreak
            focus = catalogue.focusBounds(for: request, usable: usable)
        }
    }

    /// What the budget-free stages found (points of the minimum-time model over `usable`).
    struct StageAnswer: @unchecked Sendable {
        let firstValues: [Double]
        let termination: Termination
        let bound: Double?
        let notes: [String]
        let recheckNote: String?
        /// The tie-break's and the canonical stage's pick, once a request that fits has run them.
        var chosen: Chosen?
        struct Chosen {
            let values: [Double]?
            let notes: [String]
            let tied: [(Int, Double)]?
        }
    }

    /// A focus decision's question: the sub-problem and the budget (``PlanningSession/focusWithRoom(_:usable:minimums:tieBreak:remaining:)``).
    struct RoomKey: Hashable, Sendable {
        let stage: StageKey
        let budget: Double
    }

    public let limit: Int
    public let planLimit: Int
    private let lock = NSLock()
    private var plans: [PlanRequest: Plan] = [:]
    private var stages: [StageKey: StageAnswer] = [:]
    private var shortestTimes: [StageKey: Double] = [:]
    private var rooms: [RoomKey: (kept: [String], noRoutine: Set<String>)] = [:]
    private var counts = (planHits: 0, stageHits: 0, misses: 0)

    public init(limit: Int = 20_000, planLimit: Int = 2_048) {
        self.limit = max(1, limit)
        self.planLimit = max(1, min(planLimit, limit))
    }

    /// Plans answered from the cache whole, from its stages, and planned afresh.
    public var statistics: (planHits: Int, stageHits: Int, misses: Int) { lock.withLock { counts } }

    func plan(_ request: PlanRequest) -> Plan? {
        lock.withLock {
            let hit = plans[request]
            if hit != nil { counts.planHits += 1 }
            return hit
        }
    }

    func store(_ plan: Plan, for request: PlanRequest) {
        lock.withLock {
            if plans.count >= planLimit { plans.removeAll(keepingCapacity: true) }
            plans[request] = plan
        }
    }

    func stage(_ key: StageKey) -> StageAnswer? {
        lock.withLock {
            let hit = stages[key]
            if hit != nil { counts.stageHits += 1 } else { counts.misses += 1 }
            return hit
        }
    }

    /// The proven shortest time of a sub-problem (the equipment comparison's question: it does
    /// not depend on the routine the search started from, only its proof does).
    func shortestTime(_ key: StageKey) -> Double? { lock.withLock { shortestTimes[key] } }

    func storeShortestTime(_ seconds: Double, for key: StageKey) {
        lock.withLock {
            if shortestTimes.count >= limit { shortestTimes.removeAll(keepingCapacity: true) }
            shortestTimes[key] = seconds
        }
    }

    /// Which focus defaults a sub-problem keeps within a budget, once decided.
    func room(_ key: RoomKey) -> (kept: [String], noRoutine: Set<String>)? { lock.withLock { rooms[key] } }

    func storeRoom(_ decision: (kept: [String], noRoutine: Set<String>), for key: RoomKey) {
        lock.withLock {
            if rooms.count >= limit { rooms.removeAll(keepingCapacity: true) }
            rooms[key] = decision
        }
    }

    func store(_ answer: StageAnswer, for key: StageKey) {
        lock.withLock {
            if stages.count >= limit { stages.removeAll(keepingCapacity: true) }
            stages[key] = answer
        }
    }
}
