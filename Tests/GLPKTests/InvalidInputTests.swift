import Testing
@testable import GLPK

/// Every input GLPK would abort the process on is refused with a thrown error instead; the
/// test process surviving each case is part of the check.
@Suite("Invalid input never aborts")
struct InvalidInputTests {
    @Test("non-finite numbers are refused", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) throws {
        let p = Problem()
        let x = try p.addVariable(lower: 0)
        #expect(throws: GLPKError.self) { try p.addVariable(objective: value) }
        #expect(throws: GLPKError.self) { try p.addVariable(lower: value) }
        #expect(throws: GLPKError.self) { try p.setBounds(x, lower: 0, upper: value) }
        #expect(throws: GLPKError.self) { try p.setObjectiveCoefficient(x, value) }
        #expect(throws: GLPKError.self) { try p.setObjective(.minimize, constant: value) }
        #expect(throws: GLPKError.self) { try p.addConstraint(terms: [(x, value)], lower: 1) }
        #expect(throws: GLPKError.self) { try p.addConstraint(terms: [(x, 1)], lower: value) }
        // Nothing half-added: the refused calls left the model as it was.
        #expect(p.variableCount == 1 && p.constraintCount == 0)
    }

    @Test("bounds: inverted, fractional on integers, binary outside [0, 1]")
    func bounds() throws {
        let p = Problem()
        #expect(throws: GLPKError.invertedBounds(what: "variable #0", lower: 2, upper: 1)) {
            try p.addVariable(lower: 2, upper: 1)
        }
        #expect(throws: GLPKError.fractionalIntegerBound(what: "variable #0", value: 2.5)) {
            try p.addVariable(kind: .integer, lower: 0, upper: 2.5)
        }
        #expect(throws: GLPKError.self) { try p.addVariable(kind: .binary, lower: 0, upper: 2) }
        let y = try p.addVariable(kind: .integer, lower: 0, upper: 3)
        #expect(throws: GLPKError.self) { try p.setBounds(y, lower: 0.5, upper: 3) }
        #expect(throws: GLPKError.self) { try p.addConstraint(terms: [(y, 1)], lower: 3, upper: 2) }
    }

    @Test("a handle from another problem is refused, not used as an index")
    func foreignHandles() throws {
        let a = Problem(), b = Problem()
        let x = try a.addVariable()
        _ = try a.addVariable()
        let c = try a.addConstraint(terms: [(x, 1)], lower: 0)
        _ = try b.addVariable()
        #expect(throws: GLPKError.self) { try b.setBounds(x, lower: 0, upper: 1) }
        #expect(throws: GLPKError.self) { try b.addConstraint(terms: [(x, 1)], upper: 1) }
        #expect(throws: GLPKError.self) { try b.setBounds(c, lower: 0, upper: 1) }
        #expect(throws: GLPKError.self) { try b.name(of: c) }
        let s = try b.solve()
        #expect(s.value(x) == nil)
    }

    @Test("names GLPK cannot store are refused")
    func names() throws {
        let p = Problem()
        #expect(throws: GLPKError.self) { try p.addVariable(name: String(repeating: "a", count: 256)) }
        #expect(throws: GLPKError.self) { try p.addVariable(name: "tab\there") }
        #expect(throws: GLPKError.self) { try p.setName("new\nline") }
        let x = try p.addVariable(name: String(repeating: "é", count: 127))   // 254 bytes
        #expect(try p.name(of: x)?.utf8.count == 254)
    }

    @Test("solver options out of range are refused")
    func options() throws {
        let p = Problem()
        let x = try p.addVariable(kind: .integer, lower: 0, upper: 2, objective: 1)
        for bad: (inout SolveOptions) -> Void in [
            { $0.timeLimit = -1 }, { $0.timeLimit = 0 }, { $0.timeLimit = .nan },
            { $0.relativeGap = -0.1 }, { $0.relativeGap = .infinity },
            { $0.presolve = true; $0.startingPoint = [x: 1] },
        ] {
            var o = SolveOptions(); bad(&o)
            #expect(throws: GLPKError.self) { try p.solve(o) }
        }
    }

    @Test("an infeasible or foreign starting point is refused")
    func startingPoint() throws {
        let p = Problem()
        let x = try p.addVariable(kind: .integer, lower: 0, upper: 2, objective: 1)
        try p.addConstraint(terms: [(x, 1)], lower: 1)
        var o = SolveOptions()
        o.startingPoint = [x: 0]            // violates x ≥ 1
        #expect(throws: GLPKError.self) { try p.solve(o) }
        o.startingPoint = [x: 1.5]          // not integral
        #expect(throws: GLPKError.self) { try p.solve(o) }
        let other = try Problem().addVariable()
        o.startingPoint = [other: 1]
        #expect(throws: GLPKError.self) { try p.solve(o) }
    }

    @Test("sensitivity without an optimal basis is refused")
    func sensitivityWithoutBasis() throws {
        let w = try Wyndor()
        #expect(throws: GLPKError.self) { try w.problem.objectiveRange(w.x) }
        _ = try w.problem.solve()
        _ = try w.problem.objectiveRange(w.x)
        try w.problem.setObjectiveCoefficient(w.x, 4)       // the basis no longer applies
        #expect(throws: GLPKError.self) { try w.problem.activeBoundRange(w.plant2) }
        let (k, xs) = try knapsack(values: [1, 2], weights: [1, 1], capacity: 1)
        _ = try k.solve()
        #expect(throws: GLPKError.self) { try k.objectiveRange(xs[0]) }
    }

    @Test("unreadable and unwritable files are errors that name the path")
    func files() throws {
        #expect(throws: GLPKError.self) { try Problem.read(from: "/nonexistent/model.lp", format: .cplexLP) }
        let w = try Wyndor()
        let path = "/nonexistent-dir/model.lp"
        #expect(throws: GLPKError.self) { try w.problem.write(to: path, format: .cplexLP) }
        try withTemporaryDirectory { dir in
            let garbage = dir + "/garbage.lp"
            try "this is not an LP file ][".write(toFile: garbage)
            do {
                _ = try Problem.read(from: garbage, format: .cplexLP)
                Issue.record("garbage was read as a model")
            } catch let GLPKError.file(path, _, log) {
                #expect(path == garbage)
                #expect(!log.isEmpty)
            }
        }
    }
}
