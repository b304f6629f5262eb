import Testing
@testable import GLPK

/// Hillier & Lieberman's Wyndor Glass problem (Introduction to Operations Research, §3.1 and
/// §6.7): maximise 3x + 5y subject to x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18, x, y ≥ 0.
/// The book gives the optimum x = 2, y = 6, Z = 36; shadow prices 0, 3/2, 1; the allowable
/// ranges c₁ ∈ [0, 7.5], c₂ ∈ [2, ∞), b₂ ∈ [6, 18], b₃ ∈ [12, 24].
struct Wyndor {
    let problem = Problem()
    let x: Variable, y: Variable
    let plant1: Constraint, plant2: Constraint, plant3: Constraint

    init() throws {
        try problem.setObjective(.maximize)
        x = try problem.addVariable(name: "x", lower: 0, objective: 3)
        y = try problem.addVariable(name: "y", lower: 0, objective: 5)
        plant1 = try problem.addConstraint(name: "plant1", terms: [(x, 1)], upper: 4)
        plant2 = try problem.addConstraint(name: "plant2", terms: [(y, 2)], upper: 12)
        plant3 = try problem.addConstraint(name: "plant3", terms: [(x, 3), (y, 2)], upper: 18)
    }
}

@Suite("Linear programmes")
struct LPTests {
    @Test("Wyndor: optimum, duals and shadow prices match the textbook")
    func wyndorOptimum() throws {
        let w = try Wyndor()
        let s = try w.problem.solve()
        #expect(s.termination == .optimal)
        #expect(s.glpkStatus == .optimal)
        #expect(abs(try #require(s.objectiveValue) - 36) < 1e-9)
        #expect(abs(try #require(s.value(w.x)) - 2) < 1e-9)
        #expect(abs(try #require(s.value(w.y)) - 6) < 1e-9)
        #expect(abs(try #require(s.dual(w.plant1))) < 1e-9)
        #expect(abs(try #require(s.dual(w.plant2)) - 1.5) < 1e-9)
        #expect(abs(try #require(s.dual(w.plant3)) - 1) < 1e-9)
        // Maximising: relaxing a binding ≤ row can only raise the objective.
        #expect(abs(try #require(s.shadowPrice(w.plant2)) - 1.5) < 1e-9)
        #expect(abs(try #require(s.reducedCost(w.x))) < 1e-9)
        #expect(abs(try #require(s.activity(w.plant3)) - 18) < 1e-9)
        #expect(s.bestBound == s.objectiveValue)
        #expect(s.relativeGap == 0)
    }

    @Test("Wyndor: sensitivity ranges match the textbook")
    func wyndorRanging() throws {
        let w = try Wyndor()
        _ = try w.problem.solve()
        let c1 = try w.problem.objectiveRange(w.x)
        #expect(abs(c1.lower - 0) < 1e-9 && abs(c1.upper - 7.5) < 1e-9)
        let c2 = try w.problem.objectiveRange(w.y)
        #expect(abs(c2.lower - 2) < 1e-9 && c2.upper == .infinity)
        let b2 = try #require(try w.problem.activeBoundRange(w.plant2))
        #expect(abs(b2.lower - 6) < 1e-9 && abs(b2.upper - 18) < 1e-9)
        let b3 = try #require(try w.problem.activeBoundRange(w.plant3))
        #expect(abs(b3.lower - 12) < 1e-9 && abs(b3.upper - 24) < 1e-9)
        #expect(try w.problem.activeBoundRange(w.plant1) == nil)   // slack: not binding
    }

    @Test("a minimisation's shadow price of a binding ≥ row is minus the cost of one more unit")
    func minimisationShadowPrice() throws {
        // min 2a + 3b s.t. a + b ≥ 10, a ≤ 4: a = 4, b = 6, cost 26. One more unit of the
        // ≥ row costs 3 (b is the marginal supplier); relaxing it by one saves 3.
        let p = Problem()
        let a = try p.addVariable(lower: 0, upper: 4, objective: 2)
        let b = try p.addVariable(lower: 0, objective: 3)
        let need = try p.addConstraint(terms: [(a, 1), (b, 1)], lower: 10)
        let s = try p.solve()
        #expect(s.termination == .optimal)
        #expect(abs(try #require(s.objectiveValue) - 26) < 1e-9)
        #expect(abs(try #require(s.dual(need)) - 3) < 1e-9)
        #expect(abs(try #require(s.shadowPrice(need)) + 3) < 1e-9)
        // a sits at its upper bound; raising it by one swaps a unit of b (3) for a unit of a (2).
        #expect(abs(try #require(s.reducedCost(a)) + 1) < 1e-9)
    }

    @Test("an infeasible LP is a result, not an error", arguments: [false, true])
    func infeasible(presolve: Bool) throws {
        let p = Problem()
        let x = try p.addVariable(lower: 0)
        let y = try p.addVariable(lower: 0)
        try p.addConstraint(terms: [(x, 1), (y, 1)], lower: 5)
        try p.addConstraint(terms: [(x, 1), (y, 1)], upper: 3)
        var o = SolveOptions(); o.presolve = presolve
        let s = try p.solve(o)
        #expect(s.termination == .infeasible)
        #expect(!s.hasFeasiblePoint)
        #expect(s.objectiveValue == nil)
    }

    @Test("an unbounded LP is reported as unbounded")
    func unbounded() throws {
        // max x + y s.t. x − y ≤ 1: the ray (1, 1) improves forever.
        let p = Problem()
        try p.setObjective(.maximize)
        let x = try p.addVariable(lower: 0, objective: 1)
        let y = try p.addVariable(lower: 0, objective: 1)
        try p.addConstraint(terms: [(x, 1), (y, -1)], upper: 1)
        let s = try p.solve()
        #expect(s.termination == .unbounded)
        var o = SolveOptions(); o.presolve = true
        let t = try p.solve(o)
        #expect(t.termination == .infeasibleOrUnbounded || t.termination == .unbounded)
    }

    @Test("an empty problem solves to its constant", arguments: [false, true])
    func empty(presolve: Bool) throws {
        let p = Problem()
        try p.setObjective(.minimize, constant: 7)
        var o = SolveOptions(); o.presolve = presolve
        let s = try p.solve(o)
        #expect(s.termination == .optimal)
        #expect(s.objectiveValue == 7)
    }

    @Test("repeated variables in a row are summed and the solver sees the sum")
    func repeatedTerms() throws {
        // min x s.t. x + x ≥ 3 → x = 1.5
        let p = Problem()
        let x = try p.addVariable(lower: 0, objective: 1)
        let c = try p.addConstraint(terms: [(x, 1), (x, 1)], lower: 3)
        let s = try p.solve()
        #expect(abs(try #require(s.value(x)) - 1.5) < 1e-9)
        let terms = try p.terms(of: c)
        #expect(terms.count == 1 && terms[0].1 == 2)
    }

    @Test("GLPK's terminal output is captured in the log and never reaches stdout")
    func silence() throws {
        let w = try Wyndor()
        var o = SolveOptions(); o.messageLevel = .all
        let (s, printed) = try captureStandardOutput { try w.problem.solve(o) }
        #expect(printed.isEmpty)
        #expect(s.log.contains("OPTIMAL"))
    }
}
