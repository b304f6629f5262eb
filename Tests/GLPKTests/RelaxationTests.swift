import Foundation
import Testing
@testable import GLPK

/// min x + 2y s.t. 2x + y ≥ 3.5, x ∈ {0, 1}, y integer in [0, 10]. By hand: coverage costs 0.5
/// per point from x (capped at 1 unit = 2 points) and 2 per point from y, so the LP takes x = 1
/// and y = 1.5: objective 4, the row's dual 2 (the price of a point from y), x's reduced cost
/// 1 − 2·2 = −3 (at its upper bound). The integer optimum needs y = 2: objective 5.
private func smallCover() throws -> (Problem, Variable, Variable, Constraint) {
    let p = Problem()
    let x = try p.addVariable(name: "x", kind: .binary, objective: 1)
    let y = try p.addVariable(name: "y", kind: .integer, lower: 0, upper: 10, objective: 2)
    let row = try p.addConstraint(name: "cover", terms: [(x, 2), (y, 1)], lower: 3.5)
    return (p, x, y, row)
}

@Suite("LP relaxations and temporary fixings")
struct RelaxationTests {
    @Test("the relaxation of a MIP: its bound, duals and reduced costs, and the kinds left as they were")
    func relaxation() throws {
        let (p, x, y, row) = try smallCover()
        let lp = try p.solveRelaxation()
        #expect(lp.termination == .optimal)
        #expect(abs((lp.objectiveValue ?? 0) - 4) < 1e-9)
        #expect(abs((lp.value(y) ?? 0) - 1.5) < 1e-9)
        #expect(abs((lp.dual(row) ?? 0) - 2) < 1e-9)
        #expect(abs((lp.reducedCost(x) ?? 0) + 3) < 1e-9)
        #expect(p.isMIP)
        let mip = try p.solve()
        #expect(mip.termination == .optimal && abs((mip.objectiveValue ?? 0) - 5) < 1e-9)
    }

    @Test("bounds changed for a piece of work come back when it returns and when it throws")
    func boundsRestored() throws {
        let (p, x, y, _) = try smallCover()
        struct Failure: Error {}
        // With x fixed at 0 the only way is y = 4 (3.5 rounded up): objective 8.
        let fixed = try p.withBounds([(x, lower: 0, upper: 0)]) { try p.solve() }
        #expect(abs((fixed.objectiveValue ?? 0) - 8) < 1e-9)
        #expect(try p.bounds(of: x) == (lower: 0, upper: 1))
        #expect(throws: Failure.self) {
            try p.withBounds([(x, lower: 0, upper: 0), (y, lower: 1, upper: 2)]) { () throws -> Void in throw Failure() }
        }
        #expect(try p.bounds(of: x) == (lower: 0, upper: 1))
        #expect(try p.bounds(of: y) == (lower: 0, upper: 10))
        #expect(abs((try p.solve().objectiveValue ?? 0) - 5) < 1e-9)
        // A change GLPK would refuse (a binary above 1) throws, and what was changed before it comes back.
        #expect(throws: GLPKError.self) {
            try p.withBounds([(y, lower: 3, upper: 3), (x, lower: 0, upper: 2)]) { 0 }
        }
        #expect(try p.bounds(of: y) == (lower: 0, upper: 10))
    }
}
