import Foundation
import GLPK
import Relief
import ReliefFormats

// relief-bench: the project's speed measurements, side by side with their peers in one run.
//   relief-bench core [--sizes 60,1000,10000]   wrapper vs direct C calls vs glpsol
//   relief-bench plan [--runs 30]               `relief plan --minutes 15` vs glpsol on its LP

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
// The library's traces and stage timings as the environment asks (RELIEF_PROFILE, RELIEF_TRACE, ...).
Diagnostics.configure(Diagnostics.Settings(environment: ProcessInfo.processInfo.environment, sink: log))
atexit { let report = Diagnostics.stageReport(); if !report.isEmpty { log(report) } }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }
func ms(_ s: Double) -> String { String(format: s < 0.01 ? "%.3f" : "%.1f", s * 1000) }
func pct(_ x: Double) -> String { String(format: "%+.1f%%", x * 100) }

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let k = args.firstIndex(of: name), k + 1 < args.count { return args[k + 1] }
    return fallback
}

func machine() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
}

/// Wall time of starting and waiting for a process that does nothing: part of every glpsol time.
func spawnBaseline() throws -> Double {
    median((0..<21).map { _ in spawnAndWait("/bin/true", []).seconds })
}

func core() throws {
    print("Starting and waiting for `/bin/true` takes \(ms(try spawnBaseline())) ms here (median of 21): it is included in the glpsol columns.")
    print("")
    let sizes = option("--sizes", "60,1000,10000").split(separator: ",").compactMap { Int($0) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    print("| n | reps | wrapper build | wrapper solve | wrapper total | direct C total | wrapper vs C | glpsol (defaults) | glpsol (same options) | objectives |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes {
        let inst = CoveringInstance(n: n, seed: UInt64(n))
        let reps = n <= 100 ? 201 : n <= 2000 ? 9 : 3
        var wrapper: [SolveTiming] = [], direct: [SolveTiming] = []
        var model = ""
        for r in 0..<reps {
            log("n = \(n): repetition \(r + 1) of \(reps)")
            // alternate which goes first, so neither always runs on a warmer cache
            if r % 2 == 0 {
                let (w, p) = try solveThroughWrapper(inst); wrapper.append(w)
                direct.append(solveThroughC(inst))
                if r == 0 { model = dir + "/covering-\(n).lp"; try p.write(to: model, format: .cplexLP) }
            } else {
                direct.append(solveThroughC(inst))
                wrapper.append(try solveThroughWrapper(inst).0)
            }
        }
        let glpsolReps = n <= 100 ? 21 : n <= 2000 ? 3 : 1
        var plain: [SolveTiming] = [], same: [SolveTiming] = []
        for r in 0..<glpsolReps {
            log("n = \(n): glpsol \(r + 1) of \(glpsolReps)")
            plain.append(try runGlpsol(["--mipgap", "\(benchGap)"], model: model))
            same.append(try runGlpsol(["--mipgap", "\(benchGap)", "--nointopt", "--dual", "--flip"], model: model))
        }
        let wt = median(wrapper.map(\.total)), ct = median(direct.map(\.total))
        let values = [wrapper[0], direct[0], plain[0], same[0]].map(\.objective)
        let text = values.map { $0.map { String(format: "%.0f", $0) } ?? "none" }.joined(separator: " / ")
        let known = values.compactMap { $0 }
        let spread = known.count == values.count ? (known.max()! - known.min()!) / max(1, abs(known.min()!)) : .infinity
        let agree = spread <= benchGap ? "agree within the gap: \(text)" : "DIFFER beyond the gap: \(text)"
        let statuses = "wrapper \(wrapper[0].status); glpsol \(plain[0].status) / \(same[0].status)"
        print("| \(n) | \(reps) | \(ms(median(wrapper.map(\.build)))) ms | \(ms(median(wrapper.map(\.solve)))) ms | \(ms(wt)) ms | \(ms(ct)) ms | \(pct(wt / ct - 1)) | \(ms(median(plain.map(\.solve)))) ms | \(ms(median(same.map(\.solve)))) ms | \(agree) (\(statuses)) |")
    }
}

func plan() throws {
    let runs = Int(option("--runs", "30")) ?? 30
    let bin = option("--relief", ".build/release/relief")
    let data = option("--data", "data")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let lp = dir + "/plan.lp"
    // The request: `--minutes M` (default 15) and, with --screen, `--screen clear` (issue 23's
    // target is `relief plan --minutes 20 --screen clear`).
    let minutes = option("--minutes", "15")
    let screened = CommandLine.arguments.contains("--screen")
    let ask = ["--minutes", minutes] + (screened ? ["--screen", "clear"] : [])
    func spawn(_ path: String, _ args: [String]) throws -> Double { spawnAndWait(path, args).seconds }
    _ = try spawn(bin, ["plan", "--data", data, "--export-lp", lp] + ask)
    var relief: [Double] = [], quiet: [Double] = [], glpsol: [Double] = [], version: [Double] = []
    for r in 0..<runs {
        if r % 10 == 0 { log("plan: run \(r + 1) of \(runs)") }
        relief.append(try spawn(bin, ["plan", "--data", data] + ask))
        quiet.append(try spawn(bin, ["plan", "--data", data, "--no-explain"] + ask))
        glpsol.append(try spawn("/usr/bin/glpsol", ["--lp", lp]))
        version.append(try spawn(bin, ["--version"]))
    }
    // Like for like with glpsol: read the same exported LP in-process and solve it once.
    var sameModel: [Double] = []
    for _ in 0..<runs {
        let t0 = ContinuousClock().now
        let problem = try Problem.read(from: lp, format: .cplexLP)
        let solution = try problem.solve()
        sameModel.append(seconds(ContinuousClock().now - t0))
        // With the shipped catalogue's defaults 15 minutes is too short: the exported model (with
        // its budget row) is infeasible, which glpsol proves too.
        guard solution.termination == .optimal || solution.termination == .infeasible else {
            log("plan: the exported model ended \(solution.termination)"); exit(1)
        }
    }
    // In-process: the library call alone (stage 1, tie-break, three marginal re-solves).
    let catalogue = try Catalogue.load(directory: data)
    var request = PlanRequest()
    request.budgetSeconds = (Double(minutes) ?? 15) * 60
    var inProcess: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let t0 = clock.now
        _ = try Planner(catalogue: catalogue).plan(request)
        inProcess.append(seconds(clock.now - t0))
    }
    print("Starting and waiting for `/bin/true` takes \(ms(try spawnBaseline())) ms here (posix_spawn, median of 21).")
    print("")
    print("| measurement | median | min | runs |")
    print("|---|---:|---:|---:|")
    print("| `relief plan \(ask.joined(separator: " "))`, whole process: load, shortest routine, tie-break, canonical choice, price each binding cause, equipment comparison, print | \(ms(median(relief))) ms | \(ms(relief.min()!)) ms | \(runs) |")
    print("| `relief plan \(ask.joined(separator: " ")) --no-explain` | \(ms(median(quiet))) ms | \(ms(quiet.min()!)) ms | \(runs) |")
    print("| `glpsol --lp` on the exported model, whole process (1 MILP solve) | \(ms(median(glpsol))) ms | \(ms(glpsol.min()!)) ms | \(runs) |")
    print("| `relief --version` (process start only) | \(ms(median(version))) ms | \(ms(version.min()!)) ms | \(runs) |")
    print("| `Planner.plan` in-process (5 MILP solves) | \(ms(median(inProcess))) ms | \(ms(inProcess.min()!)) ms | \(runs) |")
    print("| the exported model read and solved in-process through the wrapper (like for like with glpsol) | \(ms(median(sameModel))) ms | \(ms(sameModel.min()!)) ms | \(runs) |")
}

func tune() throws {
    let data = option("--data", "data")
    let bin = option("--relief", ".build/release/relief")
    let sessions = Int(option("--sessions", "10000")) ?? 10_000
    let catalogue = try Catalogue.load(directory: data)
    let generator = OutcomeGenerator(seed: 1)
    let log = generator.log(for: catalogue, sessions: sessions, truth: generator.trueWeights(for: catalogue))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-tune-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try log.write(directory: dir, catalogue: catalogue)
    let tuner = Tuner(catalogue: catalogue)
    var fits: [Double] = []
    for _ in 0..<5 {
        let t0 = ContinuousClock().now
        _ = try tuner.fit(log.sessions)
        fits.append(seconds(ContinuousClock().now - t0))
    }
    let t0 = ContinuousClock().now
    _ = try tuner.crossValidate(log, folds: 5)
    let cv = seconds(ContinuousClock().now - t0)
    let whole = (0..<3).map { _ in spawnAndWait(bin, ["tune", "--data", data, "--logs", dir, "--out", dir + "/w.csv"]).seconds }
    print("| measurement (\(sessions) sessions, 3 causes, \(catalogue.exercises.count) exercises) | median | runs |")
    print("|---|---:|---:|")
    print("| fit: three LAD programmes, solved through their LP duals | \(ms(median(fits))) ms | 5 |")
    print("| 5-fold cross-validation (5 more fits and predictions) | \(ms(cv)) ms | 1 |")
    print("| `relief tune` whole process: load the log, fit, cross-validate, write | \(ms(median(whole))) ms | 3 |")
}

/// `relief batch` on 10,000 generated requests against (a) starting `relief plan` once per
/// request and (b) PuLP with its GLPK back end in a Python loop.
/// Issue "Throughput": `relief batch` on 2,000 requests of the realistic mix (the generator's own
/// repetition) and on 2,000 all-distinct requests, with reuse on and off, on 2 and 1 threads.
func throughput() throws {
    let data = option("--data", "data")
    let bin = option("--relief", ".build/release/relief")
    let count = Int(option("--requests", "2000")) ?? 2_000
    let catalogue = try Catalogue.load(directory: data)
    let mix = RequestGenerator(seed: 1).requests(count: count, catalogue: catalogue).map(\.batchLine)
    var distinct: [String] = [], seen: Set<String> = []
    var seed: UInt64 = 100
    while distinct.count < count {
        for line in RequestGenerator(seed: seed).requests(count: count, catalogue: catalogue).map(\.batchLine) where !seen.contains(line) {
            seen.insert(line)
            distinct.append(line)
            if distinct.count == count { break }
        }
        seed += 1
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-throughput-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    print("`relief batch` on the shipped catalogue, whole process (start, catalogue, every plan, output to a file), \(count) requests each; the mix has \(Set(mix).count) distinct requests.")
    print("")
    print("| requests | threads | reuse | seconds | plans/s | plans/s per core |")
    print("|---|---:|---|---:|---:|---:|")
    for (name, lines) in [("realistic mix (seed 1)", mix), ("all distinct", distinct)] {
        let input = dir + "/in.jsonl"
        try writeAtomically(lines.map { $0 + "\n" }.joined(), to: input)
        var outputs: [String] = []
        for (threads, reuse) in [(2, true), (2, false), (1, true)] {
            log("throughput: \(name), \(threads) thread(s), reuse \(reuse)")
            let out = dir + "/out-\(threads)-\(reuse).jsonl"
            let t = spawnAndWait(bin, ["batch", "--data", data, "--input", input, "--output", out, "--threads", "\(threads)"] + (reuse ? [] : ["--no-reuse"])).seconds
            outputs.append((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
            let rate = Double(lines.count) / t
            print("| \(name) | \(threads) | \(reuse ? "on" : "off") | \(String(format: "%.2f", t)) | \(String(format: "%.0f", rate)) | \(String(format: "%.0f", rate / Double(threads))) |")
        }
        print("")
        print("Same bytes with reuse on and off and on 1 and 2 threads (\(name)): \(Set(outputs).count == 1 ? "yes" : "NO")")
        print("")
    }
}

func batch() throws {
    let data = option("--data", "data")
    let bin = option("--relief", ".build/release/relief")
    let count = Int(option("--requests", "10000")) ?? 10_000
    let sample = Int(option("--sample", "300")) ?? 300
    let catalogue = try Catalogue.load(directory: data)
    let requests = RequestGenerator(seed: 1).requests(count: count, catalogue: catalogue)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-batch-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/requests.jsonl"
    try writeAtomically(requests.map { $0.batchLine + "\n" }.joined(), to: input)

    var rows: [(String, Int, Double)] = []
    for threads in [2, 1] {
        // One thread on the first fifth only, to keep `make bench` short.
        let n = threads == 2 ? count : max(1, count / 5)
        let file = threads == 2 ? input : dir + "/requests-\(n).jsonl"
        if threads == 1 { try writeAtomically(requests.prefix(n).map { $0.batchLine + "\n" }.joined(), to: file) }
        log("batch: \(n) requests on \(threads) thread(s)")
        let t = spawnAndWait(bin, ["batch", "--data", data, "--input", file, "--output", dir + "/plans.jsonl", "--threads", "\(threads)"]).seconds
        rows.append(("`relief batch --threads \(threads)` (whole process)", n, t))
    }
    // (a) one process per request, on the first `sample` requests
    log("batch: \(sample) runs of relief plan")
    var perProcess = 0.0
    for r in requests.prefix(sample) {
        var args = ["plan", "--data", data, "--format", "json", "--no-explain"]
        if let b = r.budgetSeconds { args += ["--minutes", "\(b / 60)"] }
        for (c, p) in r.minimums.sorted(by: { $0.key < $1.key }) { args += ["--min", "\(c)=\(p)"] }
        for c in r.conditions.sorted() { args += ["--avoid", c] }
        args += ["--equipment", r.equipment.map { $0.isEmpty ? "none" : $0.sorted().joined(separator: ",") } ?? "any"]
        if let k = r.maxExercises { args += ["--max-exercises", "\(k)"] }
        args += ["--max-share", "\(r.maxShare)"]
        perProcess += spawnAndWait(bin, args).seconds
    }
    rows.append(("a loop starting `relief plan` once per request", sample, perProcess))
    // (b) PuLP + GLPK in Python, on the first `sample` requests
    log("batch: PuLP loop on \(sample) requests")
    let pulp = spawnAndWaitCapturing("/usr/bin/env", ["python3", "benchmarks/peers/pulp_loop.py", data, input, "\(sample)"])
    if let object = try? JSONSerialization.jsonObject(with: Data(pulp.utf8)) as? [String: Any], let seconds = object["seconds"] as? Double {
        rows.append(("PuLP 3 + GLPK (glpsol per solve), Python loop, first stage only", sample, seconds))
    } else {
        log("PuLP loop failed: \(pulp)")
    }
    let best = Double(rows[0].1) / rows[0].2
    print("| how | requests | seconds | plans per second | per core | Relief batch is |")
    print("|---|---:|---:|---:|---:|---:|")
    for (name, n, t) in rows {
        let rate = Double(n) / t
        let cores = name.contains("--threads 2") ? 2.0 : 1.0
        print("| \(name) | \(n) | \(String(format: "%.2f", t)) | \(String(format: "%.0f", rate)) | \(String(format: "%.0f", rate / cores)) | \(name.contains("--threads 2") ? "" : String(format: "%.1f×", best / rate)) |")
    }
}

log("machine: \(machine())")
switch CommandLine.arguments.dropFirst().first {
case "core": try core()
case "plan": try plan()
case "tune": try tune()
case "tune-clinic": try tuneClinic()
case "batch": try batch()
case "throughput": try throughput()
case "requests":
    // The seeded realistic mix as JSON Lines, for benchmarks outside this program (serve.py).
    let catalogue = try Catalogue.load(directory: option("--data", "data"))
    let count = Int(option("--count", "2000")) ?? 2_000
    for r in RequestGenerator(seed: UInt64(option("--seed", "1")) ?? 1).requests(count: count, catalogue: catalogue) { print(r.batchLine) }
case "compare": try compare()
case "race": try race()
case "options": try optionsExperiment()
case "catalogue":
    // relief-bench catalogue --n N --shape easy|demanding --out DIR: a generated catalogue as CSV files
    let n = Int(option("--n", "10000")) ?? 10_000
    let shape = CatalogueGenerator.Shape(rawValue: option("--shape", "easy")) ?? .easy
    try writeGenerated(n: n, shape: shape, to: option("--out", "generated"))
case "large": try large()
case "export":
    // relief-bench export --n N --out FILE: the race's model for a generated catalogue
    let n = Int(option("--n", "1000")) ?? 1000
    try Planner(catalogue: CatalogueGenerator(seed: UInt64(n)).catalogue(count: n)).exportModel(PlanRequest(), to: option("--out", "model.lp"))
default:
    log("usage: relief-bench core [--sizes 60,1000,10000] | plan [--runs 30] [--relief PATH] [--data DIR] | tune [--sessions 10000] | tune-clinic [--patients 10000] [--bootstrap 200]")
    exit(64)
}
