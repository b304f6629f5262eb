import Foundation
import GLPK
import Relief

/// Writes a generated catalogue (seed = n) as causes.csv and exercises.csv in `dir`.
func writeGenerated(n: Int, shape: CatalogueGenerator.Shape, to dir: String) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let files = CatalogueGenerator(seed: UInt64(n), shape: shape).catalogue(count: n).csvFiles()
    try files.causes.write(toFile: dir + "/causes.csv", atomically: true, encoding: .utf8)
    try files.exercises.write(toFile: dir + "/exercises.csv", atomically: true, encoding: .utf8)
}

/// `relief plan` end to end (a whole process: reading the CSV, planning, the explanation,
/// printing) on generated clinic-size catalogues, against glpsol and HiGHS solving the model
/// `relief plan --export-lp` writes for the same request (whole processes too, reading the file).
func large() throws {
    let bin = option("--relief", ".build/release/relief")
    let sizes = option("--sizes", "10000,100000").split(separator: ",").compactMap { Int($0) }
    let shape = CatalogueGenerator.Shape(rawValue: option("--shape", "easy")) ?? .easy
    let fullUpTo = Int(option("--full-up-to", "10000")) ?? 10_000
    let limit = option("--limit", "300")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-large-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    print("Generated catalogues, shape `\(shape.rawValue)` (seed = n). `relief plan --data DIR --format json`: the product's defaults (no equipment, 40 % strengthening, the explanation with its re-solves), a whole process including reading the CSV. glpsol and HiGHS solve the first-stage model `relief plan --export-lp` writes for that request, to proven optimality, reading the LP file included (glpsol: the whole process; HiGHS: its own clock from reading the file, Python's start-up excluded); time limit \(limit) s each. One thread each.")
    print("")
    print("| n | relief plan (core) | relief plan --no-explain | relief plan --strategy full | glpsol | HiGHS | relief / glpsol | shortest time agrees |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes {
        let data = "\(dir)/\(shape.rawValue)-\(n)"
        try writeGenerated(n: n, shape: shape, to: data)
        let model = data + "/model.lp"
        log("large n = \(n): export")
        _ = spawnAndWait(bin, ["plan", "--data", data, "--format", "json", "--no-explain", "--export-lp", model, "--time-limit", limit])
        func planned(_ extra: [String]) -> (Double, Double?, String) {
            let out = data + "/plan.json"
            let (t, _) = spawnAndWait("/bin/sh", ["-c", "\"$0\" \"$@\" > \(out)", bin, "plan", "--data", data, "--format", "json", "--time-limit", limit] + extra)
            let object = (try? Data(contentsOf: URL(fileURLWithPath: out))).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            return (t, object?["total_seconds"] as? Double, object?["status"] as? String ?? "no answer")
        }
        log("large n = \(n): relief plan")
        let core = planned([])
        log("large n = \(n): relief plan --no-explain")
        let quiet = planned(["--no-explain"])
        var full: (Double, Double?, String)?
        if n <= fullUpTo {
            log("large n = \(n): relief plan --strategy full")
            full = planned(["--strategy", "full"])
        }
        log("large n = \(n): glpsol")
        let g = try runGlpsol([], model: model, limit: Double(limit) ?? 300)
        log("large n = \(n): HiGHS")
        let h = spawnAndWaitCapturing("/usr/bin/env", ["python3", "benchmarks/peers/highs_solve.py", model, "0", limit])
            .split(separator: "\n").last.map(String.init) ?? ""
        let ho = (try? JSONSerialization.jsonObject(with: Data(h.utf8))) as? [String: Any]
        func cell(_ r: (Double, Double?, String)) -> String {
            String(format: r.0 < 1 ? "%.0f ms" : "%.2f s", r.0 < 1 ? r.0 * 1000 : r.0) + (r.2 == "optimal" ? "" : " (\(r.2))")
        }
        let highsCell = (ho?["seconds"] as? Double).map { String(format: "%.2f s", $0) + ((ho?["status"] as? String) == "Optimal" ? "" : " (\(ho?["status"] as? String ?? "?"))") } ?? "failed"
        // The plan's total time against glpsol's objective: the same shortest routine.
        let agree = [core.1, quiet.1, full?.1].compactMap { $0 }.allSatisfy { t in g.objective.map { abs($0 - t) <= 1e-6 * max(1, t) } ?? false }
        print("| \(n) | \(cell(core)) | \(cell(quiet)) | \(full.map(cell) ?? "not run") | \(String(format: "%.2f s", g.solve)) (\(g.status)) | \(highsCell) | \(String(format: "%.2f×", core.0 / g.solve)) | \(agree ? "yes" : "NO: \(core.1 ?? -1) vs \(g.objective ?? -1)") |")
    }
}
