import Foundation
import Relief

/// `relief tune --clinic` on a generated clinic of 10,000 patients (issue 25, part 5), against
/// benchmarks/peers/clinic_fit.py: NumPy fitting the same model the same way (Huber by
/// reweighting with Newton steps to finish, the same folds and bootstrap draws from the same
/// SplitMix64 stream), so both print the same slopes and the timings compare like with like.
func tuneClinic() throws {
    let data = option("--data", "data")
    let bin = option("--relief", ".build/release/relief")
    let patients = Int(option("--patients", "10000")) ?? 10_000
    let bootstrap = option("--bootstrap", "200")
    let runs = Int(option("--runs", "3")) ?? 3
    let catalogue = try Catalogue.load(directory: data)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-bench-clinic-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clinic = ClinicGenerator(seed: 1).clinic(for: catalogue, patients: patients)
    try clinic.write(directory: dir, catalogue: catalogue)
    let design = ClinicFit.Design(clinic: clinic, catalogue: catalogue)

    // In process: the fit alone (no loading, no plans), and the whole command as a person runs it.
    var inProcess: [Double] = []
    var fit: ClinicFit?
    for _ in 0..<runs {
        let t0 = ContinuousClock().now
        fit = try ClinicFit.fit(design, folds: 5, bootstrap: Int(bootstrap) ?? 200, seed: 1)
        inProcess.append(seconds(ContinuousClock().now - t0))
    }
    var whole: [Double] = [], peer: [Double] = [], peerFit: [Double] = []
    var peerText = ""
    for r in 0..<runs {
        log("tune-clinic: run \(r + 1) of \(runs)")
        whole.append(spawnAndWait(bin, ["tune", "--data", data, "--clinic", dir, "--bootstrap", bootstrap]).seconds)
        let t0 = ContinuousClock().now
        peerText = spawnAndWaitCapturing("/usr/bin/env", ["python3", "benchmarks/peers/clinic_fit.py", data, dir, "5", bootstrap, "1"])
        peer.append(seconds(ContinuousClock().now - t0))
        if let line = peerText.split(separator: "\n").first(where: { $0.hasPrefix("fit_seconds ") }), let s = Double(line.dropFirst(12)) { peerFit.append(s) }
    }
    let ours = fit!.slopes.map { "\($0.modality.rawValue) \(String(format: "%.6f", $0.estimate))" }.joined(separator: ", ")
    let theirs = peerText.split(separator: "\n").first { $0.hasPrefix("slopes ") }.map { String($0.dropFirst(7)) } ?? "none"
    print("| measurement (\(design.summary.patientsWithScores) patients with scores, \(design.summary.scores) scores, \(design.modalities.count) modalities, bootstrap \(bootstrap), 5 folds) | median | runs |")
    print("|---|---:|---:|")
    print("| Relief, in process: fit both models, 5-fold CV, bootstrap | \(ms(median(inProcess))) ms | \(runs) |")
    print("| `relief tune --clinic` whole process: load, fit, CV, bootstrap, 4 plans, report | \(ms(median(whole))) ms | \(runs) |")
    print("| NumPy peer, in process: the same fit, CV and bootstrap | \(ms(median(peerFit))) ms | \(runs) |")
    print("| NumPy peer whole process (python3 start, reading the CSVs) | \(ms(median(peer))) ms | \(runs) |")
    print("")
    print("Slopes (share of the range per 100 points): Relief \(ours); peer \(theirs).")
}
