import Foundation
import Testing
@testable import GLPK

/// min x₀ s.t. 2·Σxᵢ + x₀ = n (n odd), all binary. The left side without x₀ is even, so
/// x₀ = 1 in every feasible point; the LP relaxation has x₀ = 0. Proving the bound needs an
/// exponential search without cuts (Jeroslow, 1974): a reliable way to hit a time limit.
func jeroslow(_ n: Int) throws -> (Problem, [Variable]) {
    let p = Problem()
    let x0 = try p.addVariable(name: "x0", kind: .binary, objective: 1)
    var xs = [x0]
    for i in 1...n { xs.append(try p.addVariable(name: "x\(i)", kind: .binary)) }
    try p.addConstraint(terms: [(x0, 1)] + xs.dropFirst().map { ($0, 2) }, lower: Double(n), upper: Double(n))
    return (p, xs)
}

/// A 0-1 knapsack solved by enumerating every subset.
func bruteForceKnapsack(values: [Double], weights: [Double], capacity: Double) -> Double {
    var best = 0.0
    for mask in 0..<(1 << values.count) {
        var v = 0.0, w = 0.0
        for i in values.indices where mask & (1 << i) != 0 { v += values[i]; w += weights[i] }
        if w <= capacity { best = max(best, v) }
    }
    return best
}

func knapsack(values: [Double], weights: [Double], capacity: Double) throws -> (Problem, [Variable]) {
    let p = Problem()
    try p.setObjective(.maximize)
    let xs = try values.map { try p.addVariable(kind: .binary, objective: $0) }
    try p.addConstraint(terms: Array(zip(xs, weights)), upper: capacity)
    return (p, xs)
}

@Suite("Mixed-integer programmes")
struct MIPTests {
    @Test("the textbook knapsack: $15 from items 2–5 (the 12 kg item stays out)", arguments: [false, true])
    func smallKnapsack(presolve: Bool) throws {
        let (p, xs) = try knapsack(values: [4, 2, 1, 2, 10], weights: [12, 2, 1, 1, 4], capacity: 15)
        var o = SolveOptions(); o.presolve = presolve
        let s = try p.solve(o)
        #expect(s.termination == .optimal)
        #expect(s.objectiveValue == 15)
        #expect(xs.map { s.value($0) } == [0, 1, 1, 1, 1])
    }

    @Test("a 16-item knapsack agrees with enumeration of all 65,536 subsets")
    func enumeratedKnapsack() throws {
        var rng = SplitMix64(seed: 42)
        let values = (0..<16).map { _ in Double(rng.next() % 90 + 10) }
        let weights = (0..<16).map { _ in Double(rng.next() % 40 + 5) }
        let capacity = weights.reduce(0, +) / 2
        let (p, _) = try knapsack(values: values, weights: weights, capacity: capacity)
        var o = SolveOptions(); o.cuts = .all
        let s = try p.solve(o)
        #expect(s.termination == .optimal)
        #expect(s.objectiveValue == bruteForceKnapsack(values: values, weights: weights, capacity: capacity))
    }

    @Test("a time limit returns the incumbent, marked as not proven, with a valid bound")
    func timeLimit() throws {
        let (p, xs) = try jeroslow(41)
        var start: [Variable: Double] = [xs[0]: 1]
        for x in xs[1...20] { start[x] = 1 }          // 2·20 + 1 = 41
        var o = SolveOptions()
        o.timeLimit = 0.3
        o.startingPoint = start
        let s = try p.solve(o)
        #expect(s.termination == .timeLimit)
        #expect(s.hasFeasiblePoint)
        #expect(s.objectiveValue == 1)
        #expect(s.glpkStatus == .feasible)
        #expect(s.startingPointAccepted == true)
        let bound = try #require(s.bestBound)
        #expect(bound <= 1 + 1e-9 && bound >= -1e-9)
        #expect(try #require(s.relativeGap) > 0.5)
        #expect(s.solveSeconds < 5)
    }

    @Test("a gap tolerance stops the search with the gap-limit status")
    func gapLimit() throws {
        let (p, _) = try jeroslow(41)
        var o = SolveOptions()
        o.relativeGap = 2        // the parity gap is 1/(1+ε) ≤ 2
        o.timeLimit = 20
        let s = try p.solve(o)
        #expect(s.termination == .gapLimit)
        #expect(s.objectiveValue == 1)
    }

    @Test("an infeasible MIP whose relaxation is feasible", arguments: [false, true])
    func infeasibleMIP(presolve: Bool) throws {
        // 2x = 3 with x integer: the relaxation has x = 1.5.
        let p = Problem()
        let x = try p.addVariable(kind: .integer, lower: 0, upper: 5)
        try p.addConstraint(terms: [(x, 2)], lower: 3, upper: 3)
        var o = SolveOptions(); o.presolve = presolve
        #expect(try p.solve(o).termination == .infeasible)
    }

    @Test("GLPK's presolver returns x = 1 for 0.2 ≤ x ≤ 0.8; the wrapper reports infeasible")
    func presolverBug() throws {
        let p = Problem()
        let x = try p.addVariable(kind: .binary, objective: -1)
        try p.addConstraint(terms: [(x, 1)], lower: 0.2, upper: 0.8)
        var o = SolveOptions(); o.presolve = true
        let s = try p.solve(o)
        #expect(s.termination == .infeasible)
        #expect(!s.hasFeasiblePoint)
        #expect(s.notes.contains { $0.contains("presolver") })
    }

    @Test("an unbounded MIP relaxation is reported as infeasible or unbounded")
    func unboundedMIP() throws {
        let p = Problem()
        try p.setObjective(.maximize)
        let x = try p.addVariable(kind: .integer, lower: 0, objective: 1)
        try p.addConstraint(terms: [(x, 1)], lower: 1)
        #expect(try p.solve().termination == .infeasibleOrUnbounded)
    }

    @Test("a MIP without rows still solves")
    func noRows() throws {
        let p = Problem()
        let x = try p.addVariable(kind: .integer, lower: 0, upper: 3, objective: -1)
        let s = try p.solve()
        #expect(s.termination == .optimal)
        #expect(s.value(x) == 3)
    }

    @Test("solver options reach GLPK: every branching and backtracking rule finds the same optimum")
    func options() throws {
        let values: [Double] = [4, 2, 1, 2, 10], weights: [Double] = [12, 2, 1, 1, 4]
        let rules: [(SolveOptions.Branching, SolveOptions.Backtracking)] = [
            (.firstFractional, .depthFirst), (.lastFractional, .breadthFirst),
            (.mostFractional, .bestProjection), (.hybridPseudoCost, .bestLocalBound),
        ]
        for (branching, backtracking) in rules {
            let (p, _) = try knapsack(values: values, weights: weights, capacity: 15)
            var o = SolveOptions()
            o.branching = branching; o.backtracking = backtracking
            o.cuts = .all; o.heuristics = [.feasibilityPump, .proximitySearch, .simpleRounding]
            o.simplexMethod = .dualThenPrimal; o.ratioTest = .longStep
            #expect(try p.solve(o).objectiveValue == 15)
        }
    }
}

/// A small deterministic generator for test data (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A StopSignal set from another thread ends a branch-and-cut search that would otherwise run
/// for minutes (Jeroslow's problem), with its own termination, not a time limit.
@Suite("Stopping a search")
struct StopSignalTests {
    @Test("a search stopped from another thread ends promptly with termination .stopped")
    func stopFromAnotherThread() throws {
        let (p, _) = try jeroslow(61)
        let signal = StopSignal()
        var options = SolveOptions()
        options.stop = signal
        options.timeLimit = 120      // only a safety net: the stop must come first
        let stopper = Thread { Thread.sleep(forTimeInterval: 0.3); signal.stop() }
        stopper.start()
        let began = ContinuousClock.now
        let solution = try p.solve(options)
        let took = ContinuousClock.now - began
        #expect(solution.termination == .stopped)
        #expect(took < .seconds(60), "stopped after \(took)")
        #expect(took > .milliseconds(250), "the search ran until the signal")
    }

    @Test("a signal set before the solve stops it at the first callback")
    func stoppedBefore() throws {
        let (p, _) = try jeroslow(61)
        let signal = StopSignal()
        signal.stop()
        var options = SolveOptions()
        options.stop = signal
        options.timeLimit = 120
        let solution = try p.solve(options)
        #expect(solution.termination == .stopped)
        #expect(solution.solveSeconds < 5)
    }

    @Test("a node limit stops branch-and-cut at the same place every time, reported as such")
    func nodeLimit() throws {
        // Jeroslow's problem with n = 41 needs far more than 2,000 nodes to prove x₀ = 1.
        var options = SolveOptions()
        options.nodeLimit = 2_000
        var seen: [Int] = []
        for _ in 0..<3 {
            let (p, _) = try jeroslow(41)
            let s = try p.solve(options)
            #expect(s.termination == .nodeLimit)
            #expect(s.termination.description == "node limit reached")
            // The callback stops at the first node past the limit.
            let nodes = try #require(s.nodes)
            #expect(nodes > 2_000 && nodes < 2_100)
            seen.append(nodes)
        }
        // The same model stops after the same number of nodes: no clock is involved.
        #expect(Set(seen).count == 1)
        // A limit the search does not reach changes nothing.
        let (small, xs) = try knapsack(values: [4, 2, 1, 2, 10], weights: [12, 2, 1, 1, 4], capacity: 15)
        options.nodeLimit = 1_000_000
        let s = try small.solve(options)
        #expect(s.termination == .optimal)
        #expect(s.objectiveValue == 15)
        #expect(s.value(xs[0]) == 0)
        var bad = SolveOptions()
        bad.nodeLimit = 0
        #expect(throws: GLPKError.self) { try small.solve(bad) }
    }
}
