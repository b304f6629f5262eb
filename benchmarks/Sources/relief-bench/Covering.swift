import CGLPK
import Foundation
import GLPK
import Relief

/// A seeded covering MILP shaped like Relief's model: n items with integer amounts 0...3,
/// a cost per unit (minimised), `rows` coverage rows (≥), and a budget row (≤) on a second
/// resource.
struct CoveringInstance {
    let n: Int
    let cost: [Double]
    let time: [Double]
    let benefit: [[Double]]      // rows × n
    let need: [Double]
    let budget: Double

    init(n: Int, rows: Int = 3, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.n = n
        cost = (0..<n).map { _ in Double(10 + rng.next() % 90) }
        time = (0..<n).map { _ in Double(5 + rng.next() % 60) }
        benefit = (0..<rows).map { _ in (0..<n).map { _ in rng.next() % 10 < 6 ? Double(1 + rng.next() % 9) : 0 } }
        // Each row asks for a tenth of what every item at full amount would give.
        need = benefit.map { ($0.reduce(0, +) * 3 * 0.1).rounded() }
        budget = (time.reduce(0, +) * 3 * 0.25).rounded()
    }
}

struct SolveTiming {
    let build: Double
    let solve: Double
    let objective: Double?
    let status: String
    var total: Double { build + solve }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The options both paths use: dual simplex with the long-step ratio test for the root LP,
/// then branch-and-cut without presolve, to a relative gap of 1e-4.
let benchGap = 1e-4
let benchTimeLimit = 60.0

func solveThroughWrapper(_ inst: CoveringInstance) throws -> (SolveTiming, Problem) {
    let clock = ContinuousClock()
    let t0 = clock.now
    let p = Problem()
    var xs: [Variable] = []
    xs.reserveCapacity(inst.n)
    for j in 0..<inst.n {
        xs.append(try p.addVariable(kind: .integer, lower: 0, upper: 3, objective: inst.cost[j]))
    }
    for (i, row) in inst.benefit.enumerated() {
        var terms: [(Variable, Double)] = []
        for j in 0..<inst.n where row[j] != 0 { terms.append((xs[j], row[j])) }
        try p.addConstraint(terms: terms, lower: inst.need[i])
    }
    try p.addConstraint(terms: (0..<inst.n).map { (xs[$0], inst.time[$0]) }, upper: inst.budget)
    let t1 = clock.now
    var o = SolveOptions()
    o.simplexMethod = .dualThenPrimal
    o.ratioTest = .longStep
    o.relativeGap = benchGap
    o.timeLimit = benchTimeLimit
    let s = try p.solve(o)
    let t2 = clock.now
    return (SolveTiming(build: seconds(t1 - t0), solve: seconds(t2 - t1), objective: s.objectiveValue,
                        status: s.termination.description), p)
}

func solveThroughC(_ inst: CoveringInstance) -> SolveTiming {
    let clock = ContinuousClock()
    let t0 = clock.now
    glp_term_out(GLP_OFF)
    let lp = glp_create_prob()
    glp_set_obj_dir(lp, GLP_MIN)
    let n = Int32(inst.n)
    glp_add_cols(lp, n)
    for j in 1...n {
        glp_set_col_kind(lp, j, GLP_IV)
        glp_set_col_bnds(lp, j, GLP_DB, 0, 3)
        glp_set_obj_coef(lp, j, inst.cost[Int(j) - 1])
    }
    let rows = Int32(inst.benefit.count)
    glp_add_rows(lp, rows + 1)
    var ind = [Int32](repeating: 0, count: inst.n + 1)
    var val = [Double](repeating: 0, count: inst.n + 1)
    for i in 0..<Int(rows) {
        var len: Int32 = 0
        for j in 0..<inst.n where inst.benefit[i][j] != 0 {
            len += 1
            ind[Int(len)] = Int32(j + 1)
            val[Int(len)] = inst.benefit[i][j]
        }
        glp_set_row_bnds(lp, Int32(i + 1), GLP_LO, inst.need[i], 0)
        glp_set_mat_row(lp, Int32(i + 1), len, ind, val)
    }
    for j in 0..<inst.n { ind[j + 1] = Int32(j + 1); val[j + 1] = inst.time[j] }
    glp_set_row_bnds(lp, rows + 1, GLP_UP, 0, inst.budget)
    glp_set_mat_row(lp, rows + 1, n, ind, val)
    let t1 = clock.now
    var smcp = glp_smcp()
    glp_init_smcp(&smcp)
    smcp.msg_lev = GLP_MSG_OFF
    smcp.meth = GLP_DUALP
    smcp.r_test = GLP_RT_FLIP
    smcp.tm_lim = Int32(benchTimeLimit * 1000)
    _ = glp_simplex(lp, &smcp)
    var iocp = glp_iocp()
    glp_init_iocp(&iocp)
    iocp.msg_lev = GLP_MSG_OFF
    iocp.mip_gap = benchGap
    iocp.tm_lim = Int32(benchTimeLimit * 1000)
    let rc = glp_intopt(lp, &iocp)
    let status = glp_mip_status(lp)
    var values = [Double](repeating: 0, count: inst.n)       // read the point, as the wrapper does
    for j in 0..<inst.n { values[j] = glp_mip_col_val(lp, Int32(j + 1)) }
    let objective = status == GLP_OPT || status == GLP_FEAS ? glp_mip_obj_val(lp) : nil
    glp_delete_prob(lp)
    let t2 = clock.now
    let text = rc == 0 ? (status == GLP_OPT ? "optimal" : "status \(status)") : rc == GLP_EMIPGAP ? "gap limit reached" : rc == GLP_ETMLIM ? "time limit reached" : "rc \(rc)"
    return SolveTiming(build: seconds(t1 - t0), solve: seconds(t2 - t1), objective: objective, status: text)
}

/// Runs glpsol on a model file and reads its objective from the solution file it writes.
func runGlpsol(_ arguments: [String], model: String, limit: Double = benchTimeLimit) throws -> SolveTiming {
    let solution = model + ".sol"
    let (elapsed, exitStatus) = spawnAndWait("/usr/bin/glpsol", arguments + ["--lp", model, "-w", solution, "--tmlim", String(Int(limit))])
    defer { try? FileManager.default.removeItem(atPath: solution) }
    let text = (try? String(contentsOfFile: solution, encoding: .utf8)) ?? ""
    // "s mip ROWS COLS STATUS OBJECTIVE", STATUS o (optimal), f (feasible), n (no feasible), u (undefined)
    for line in text.split(separator: "\n") where line.hasPrefix("s ") {
        let parts = line.split(separator: " ")
        if parts.count >= 6 {
            let status = parts[4] == "o" ? "optimal" : parts[4] == "f" ? "feasible (gap or time limit)" : parts[4] == "u" ? "no solution found (status undefined)" : "status \(parts[4])"
            // only an optimal or feasible status carries an objective
            let objective = parts[4] == "o" || parts[4] == "f" ? Double(parts[5]) : nil
            return SolveTiming(build: 0, solve: elapsed, objective: objective, status: status)
        }
    }
    return SolveTiming(build: 0, solve: elapsed, objective: nil, status: "no solution file (exit \(exitStatus))")
}
