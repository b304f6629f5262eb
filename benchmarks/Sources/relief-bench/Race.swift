import Foundation
import GLPK
import Relief

/// Part 2 of the benchmarks: the same generated model, solved by Relief in-process, glpsol,
/// HiGHS and CBC, each to a proven relative gap of 1e-4 within a time limit.
func race() throws {
    let sizes = option("--sizes", "60,1000,10000,100000").split(separator: ",").compactMap { Int($0) }
    let limit = Double(option("--limit", "60")) ?? 60
    let gap = 1e-4
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-race-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let shape = CatalogueGenerator.Shape(rawValue: option("--shape", "demanding")) ?? .demanding
    print("Generated catalogues, shape `\(shape.rawValue)` (seed = n; three causes; setup times; whole and continuous units; \(shape == .demanding ? "minimums growing with √n" : "the shipped minimums")). The model is Relief's first stage for the product's default request (no equipment, 40 % strengthening), the shortest routine without a budget. Relief solves it in-process: `core` bounds and fixes first (column generation, Lagrangian bound, core incumbent, branch-and-cut over the survivors), `full` is branch-and-cut on the whole model from the greedy routine; the others read the LP file Relief exports. Time limit \(Int(limit)) s; gap 1e-4; one thread each.")
    print("")
    print("| n | Relief core (in-process) | Relief full (in-process) | glpsol | HiGHS (highspy) | CBC | objectives |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes {
        let catalogue = CatalogueGenerator(seed: UInt64(n), shape: shape).catalogue(count: n)
        let planner = Planner(catalogue: catalogue, strategy: .full)
        var request = PlanRequest()
        request.relativeGap = gap
        request.timeLimit = limit
        let model = "\(dir)/race-\(n).lp"
        try planner.exportModel(request, to: model)
        log("race n = \(n): Relief core")
        let t0 = ContinuousClock().now
        var corePlanner = planner
        corePlanner.strategy = .core
        let relief = try PlanningSession(planner: corePlanner).shortestRoutine(request)
        let reliefSeconds = seconds(ContinuousClock().now - t0)
        let reliefCell = cell(reliefSeconds, relief.termination == .optimal || relief.termination == .gapLimit,
                              relief.seconds, relief.relativeGap, "\(relief.termination)")
        log("race n = \(n): Relief full")
        let t1 = ContinuousClock().now
        let full = try PlanningSession(planner: planner).shortestRoutineSolve(request)
        let fullSeconds = seconds(ContinuousClock().now - t1)
        let fullCell = cell(fullSeconds, full.termination == .optimal || full.termination == .gapLimit,
                            full.seconds, full.relativeGap, "\(full.termination)")
        log("race n = \(n): glpsol")
        let g = try runGlpsol(["--mipgap", "\(gap)"], model: model, limit: limit)
        // glpsol writes "f" both when the gap is proven and when the time limit stops it: the clock tells which.
        let glpsolCell = cell(g.solve, g.status.hasPrefix("optimal") || (g.objective != nil && g.solve < limit - 0.5), g.objective, nil, g.status)
        log("race n = \(n): HiGHS")
        // HiGHS prints a banner before our JSON line: read the last line.
        let h = spawnAndWaitCapturing("/usr/bin/env", ["python3", "benchmarks/peers/highs_solve.py", model, "\(gap)", "\(limit)"])
            .split(separator: "\n").last.map(String.init) ?? ""
        var highsCell = "failed"
        var highsObjective: Double?
        if let o = try? JSONSerialization.jsonObject(with: Data(h.utf8)) as? [String: Any], let s = o["seconds"] as? Double {
            highsObjective = o["objective"] as? Double
            let status = o["status"] as? String ?? "?"
            let b = o["bound"] as? Double
            let hg = highsObjective.flatMap { obj in b.map { abs(obj - $0) / max(abs(obj), 1e-9) } }
            highsCell = cell(s, status == "Optimal", highsObjective, hg, status)
        }
        log("race n = \(n): CBC")
        let (cbcSeconds, cbcObjective, cbcStatus) = runCBC(model: model, gap: gap, limit: limit, dir: dir)
        let cbcCell = cell(cbcSeconds, cbcStatus.hasPrefix("Optimal"), cbcObjective, nil, cbcStatus)
        let objectives = [relief.seconds, full.seconds, g.objective, highsObjective, cbcObjective]
        let known = objectives.compactMap { $0 }
        let spread = known.isEmpty ? 0 : (known.max()! - known.min()!) / max(1, known.min()!)
        let verdict = known.count < 2 ? "too few to compare" : spread <= gap * 1.0001 ? "agree within 1e-4" : String(format: "DIFFER by %.2g (more than the gap; an unproven run is allowed to)", spread)
        print("| \(n) | \(reliefCell) | \(fullCell) | \(glpsolCell) | \(highsCell) | \(cbcCell) | \(verdict) |")
    }
}

func cell(_ seconds: Double, _ proven: Bool, _ objective: Double?, _ gap: Double?, _ status: String) -> String {
    let time = seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.1f s", seconds)
    let value = objective.map { String(format: "%.0f", $0) } ?? "no solution"
    let gapText = gap.map { String(format: ", gap %.1e", $0) } ?? ""
    return proven ? "**\(time)** (\(value))" : "\(time): \(status), \(value)\(gapText)"
}

/// CBC on the LP file; its objective and status come from its solution file.
func runCBC(model: String, gap: Double, limit: Double, dir: String) -> (Double, Double?, String) {
    let solution = dir + "/cbc.sol"
    try? FileManager.default.removeItem(atPath: solution)
    let (t, _) = spawnAndWait("/usr/bin/cbc", [model, "-threads", "1", "-ratioGap", "\(gap)", "-seconds", "\(Int(limit))", "-solve", "-solution", solution])
    guard let text = try? String(contentsOfFile: solution, encoding: .utf8), let first = text.split(separator: "\n").first else {
        return (t, nil, "no solution file")
    }
    // e.g. "Optimal - objective value 1234.00000000" or "Stopped on time - objective value ..."
    let status = first.components(separatedBy: " - ").first ?? String(first)
    let value = first.components(separatedBy: "objective value").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    return (t, value, status)
}
