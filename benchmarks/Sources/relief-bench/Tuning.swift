import Foundation
import GLPK
import Relief

/// Tries GLPK option sets on one generated model (for choosing Relief's defaults).
func optionsExperiment() throws {
    let n = Int(option("--n", "10000")) ?? 10_000
    let limit = Double(option("--limit", "20")) ?? 20
    let catalogue = CatalogueGenerator(seed: UInt64(n)).catalogue(count: n)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-opt-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var request = PlanRequest()
    request.relativeGap = 1e-4
    let path = dir + "/m.lp"
    try Planner(catalogue: catalogue).exportModel(request, to: path)
    let large: [(String, (inout SolveOptions) -> Void)] = [
        ("presolve", { $0.presolve = true }),
        ("dual+flip+scale", { $0.scaling = true }),
    ]
    let sets: [(String, (inout SolveOptions) -> Void)] = option("--sets", "all") == "large" ? large : option("--sets", "all") == "all" ? [
        ("dual+flip", { _ in }),
        ("dual+flip+scale", { $0.scaling = true }),
        ("dual+flip+mir+cover", { $0.cuts = [.mixedIntegerRounding, .cover] }),
        ("dual+flip+gomory", { $0.cuts = [.gomory] }),
        ("dual+flip+pch", { $0.branching = .hybridPseudoCost }),
        ("presolve", { $0.presolve = true }),
    ] : []
    for (name, change) in sets {
        let p = try Problem.read(from: path, format: .cplexLP)
        var o = SolveOptions()
        o.simplexMethod = .dualThenPrimal; o.ratioTest = .longStep
        o.relativeGap = 1e-4; o.timeLimit = limit
        change(&o)
        let s = try p.solve(o)
        print("\(name): \(String(format: "%.1f", s.solveSeconds)) s \(s.termination) obj \(s.objectiveValue ?? -1) gap \(s.relativeGap ?? -1)")
    }
}
