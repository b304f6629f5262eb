import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

@Suite("Tuning from a clinic's outcomes")
struct ClinicTuningTests {
    /// One cause; a strengthening and a stretching exercise of 100 points a unit each, so a
    /// unit is one hundred points of dose.
    static let tinyCatalogue = Catalogue(causes: [Cause(id: "a", name: "A", description: "", defaultMinimum: 1)], exercises: [
        Exercise(id: "s", name: "S", modality: .strengthen, unit: "set", dose: "", secondsPerUnit: 60, whole: true,
                 maxUnits: 5, setupSeconds: 0, equipment: [], avoidIf: [], benefits: [100], source: "t", instructions: ""),
        Exercise(id: "t", name: "T", modality: .stretch, unit: "set", dose: "", secondsPerUnit: 60, whole: true,
                 maxUnits: 5, setupSeconds: 0, equipment: [], avoidIf: [], benefits: [100], source: "t", instructions: ""),
    ])

    @Test("by hand: scores made exactly by the model give back its numbers")
    func exactTiny() throws {
        // ODI (0-100), baseline 60; sets of s and t a week over weeks 1-4, scores at weeks 2 and 4.
        // Improvement in % of the range = 2 + 1·week + 3·(sets of s so far) + 1·(sets of t so far).
        let plans: [(Double, Double)] = [(1, 0), (0, 2), (2, 1), (1, 1), (0, 0), (3, 0), (1, 3), (2, 2)]
        var patients = "patient_id,measure,baseline\n", done = "patient_id,week,exercise_id,units\n", scores = "patient_id,week,score\n"
        for (k, (us, ut)) in plans.enumerated() {
            patients += "p\(k),odi,60\n"
            for w in 1...4 {
                if us > 0 { done += "p\(k),\(w),s,\(Int(us))\n" }
                if ut > 0 { done += "p\(k),\(w),t,\(Int(ut))\n" }
            }
            for w in [2.0, 4] { scores += "p\(k),\(Int(w)),\(Int(60 - (2 + w + 3 * w * us + w * ut)))\n" }
        }
        let clinic = try ClinicLog.parse(patients: patients, done: done, scores: scores, catalogue: Self.tinyCatalogue)
        let design = ClinicFit.Design(clinic: clinic, catalogue: Self.tinyCatalogue)
        #expect(design.modalities == [.stretch, .strengthen])
        #expect(design.summary.scores == 16)
        let fit = try ClinicFit.fit(design, folds: 4, bootstrap: 0)
        #expect(abs(fit.intercept - 0.02) < 1e-9)
        #expect(abs(fit.perWeek - 0.01) < 1e-9)
        #expect(abs(fit.slopes[0].estimate - 0.01) < 1e-9)      // stretch
        #expect(abs(fit.slopes[1].estimate - 0.03) < 1e-9)      // strengthen
        // Every held-out score is predicted exactly by the per-modality model.
        #expect(fit.cv.fittedError < 1e-9)
    }

    @Test("by hand: Huber's estimate is least squares when no residual passes the threshold, and solves its estimating equations when one does")
    func huberByHand() throws {
        // y = 0, 2, 2, 4 at x = 0..3: least squares a = 0.2, b = 1.2 (x̄ 1.5, ȳ 2, Sxy 6, Sxx 5);
        // residuals −0.2, 0.6, −0.6, 0.2, median |r| 0.4, threshold 1.345·0.4/0.6745 = 0.80 > 0.6.
        let x = [1.0, 0, 1, 1, 1, 2, 1, 3]
        let fit = try #require(ClinicFit.huber(x, p: 2, y: [0, 2, 2, 4], rows: [0, 1, 2, 3]))
        #expect(abs(fit.beta[0] - 0.2) < 1e-12 && abs(fit.beta[1] - 1.2) < 1e-12)

        // y = 0, 1, 2, 3, 13 at x = 0..4: least squares a = −1.8, b = 2.8 (ȳ 3.8, Sxy 28, Sxx 10);
        // |residuals| 1.8, 0, 1.8, 3.6, 3.6, median 1.8, threshold 1.345·1.8/0.6745.
        let x5 = [1.0, 0, 1, 1, 1, 2, 1, 3, 1, 4], y5 = [0.0, 1, 2, 3, 13]
        let h = try #require(ClinicFit.huber(x5, p: 2, y: y5, rows: Array(0..<5)))
        let c = 1.345 * 1.8 / 0.6745
        #expect(abs(h.threshold - c) < 1e-12)
        // At the estimate, Σ ψ(rᵢ)·xᵢ = 0 with ψ(r) = r clipped to ±c.
        var g0 = 0.0, g1 = 0.0
        for i in 0..<5 {
            let r = y5[i] - h.beta[0] - h.beta[1] * Double(i)
            let psi = max(-c, min(c, r))
            g0 += psi; g1 += psi * Double(i)
        }
        #expect(abs(g0) < 1e-6 && abs(g1) < 1e-6)
        #expect(h.beta[1] < 2.8)    // the wild 13 pulls less than it does least squares
    }

    /// The shipped catalogue's clinic with planted (or equal) effects.
    func planted(_ n: Int, seed: UInt64, effects: [Modality: Double] = ClinicGenerator.planted) throws -> (ClinicFit.Design, Catalogue) {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let clinic = ClinicGenerator(seed: seed, effects: effects).clinic(for: catalogue, patients: n)
        return (ClinicFit.Design(clinic: clinic, catalogue: catalogue), catalogue)
    }

    @Test("the fit recovers the planted effects: each within three bootstrap standard errors, and it is applied")
    func recovers() throws {
        // Three standard errors: a normal estimate falls outside with chance 0.27 %, all five
        // slopes together 1.3 %; the seed is fixed, so the test is the same every run.
        let (design, _) = try planted(800, seed: 7)
        let fit = try ClinicFit.fit(design, folds: 5, bootstrap: 60, seed: 1)
        #expect(fit.slopes.map(\.modality) == Modality.allCases)
        for s in fit.slopes {
            let truth = ClinicGenerator.planted[s.modality]!
            #expect(abs(s.estimate - truth) < 3 * s.standardError, "\(s.modality): \(s.estimate) vs \(truth) ± \(s.standardError)")
            #expect(s.lower < s.estimate && s.estimate < s.upper)
        }
        #expect(abs(fit.perWeek - 0.01) < 0.005)
        #expect(fit.applies, "\(fit.verdict)")
        // Strengthening (0.03) is planted at six times release (0.005): the ratios keep the order.
        let ratio = Dictionary(uniqueKeysWithValues: fit.slopes.map { ($0.modality, $0.ratio) })
        #expect(ratio[.strengthen]! > ratio[.aerobic]! && ratio[.aerobic]! > ratio[.release]!)
    }

    @Test("the error of the fit shrinks as the clinic grows")
    func shrinks() throws {
        func error(_ n: Int) throws -> Double {
            let fit = try ClinicFit.fit(try planted(n, seed: 11).0, folds: 2, bootstrap: 0)
            return fit.slopes.reduce(0) { $0 + abs($1.estimate - ClinicGenerator.planted[$1.modality]!) } / Double(fit.slopes.count)
        }
        // Ten times the patients: the error falls by about √10 ≈ 3.2; asked for at least 1 / 0.6.
        let small = try error(300), large = try error(3_000)
        #expect(large < 0.6 * small, "\(small) → \(large)")
    }

    @Test("a clinic where every modality does the same per point is refused")
    func equalRefused() throws {
        let (design, catalogue) = try planted(1_500, seed: 5, effects: ClinicGenerator.equal)
        let fit = try ClinicFit.fit(design, folds: 5, bootstrap: 0)
        #expect(!fit.applies)
        #expect(fit.verdict.hasSuffix("not applied"))
        // Nothing to apply, but the report still says so and what the plans would do.
        let report = ClinicTuning(catalogue: catalogue, fit: fit).report(source: "equal", changes: [])
        #expect(report.contains("Verdict: " + fit.verdict))
    }

    @Test("the same clinic and seed give the same fit; another seed other intervals")
    func deterministic() throws {
        let (design, _) = try planted(200, seed: 3)
        let a = try ClinicFit.fit(design, folds: 5, bootstrap: 20, seed: 9)
        let b = try ClinicFit.fit(design, folds: 5, bootstrap: 20, seed: 9)
        let c = try ClinicFit.fit(design, folds: 5, bootstrap: 20, seed: 10)
        #expect(a.slopes == b.slopes && a.cv == b.cv)
        #expect(a.slopes.map(\.lower) != c.slopes.map(\.lower))
        #expect(a.slopes.map(\.estimate) == c.slopes.map(\.estimate))    // the fit itself has no randomness
    }

    @Test("a bad clinic is refused with every problem at file:line:column")
    func parseErrors() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let e = catalogue.exercises[0].id
        let patients = "patient_id,measure,baseline\np1,rmdq,12\np2,rmdq,30\np3,psfs,5\np1,odi,5\n"
        let done = "patient_id,week,exercise_id,units\np1,1,no-such,2\np9,1,\(e),2\np1,0,\(e),2\n"
        let scores = "patient_id,week,score\np1,2,25\np1,2,3\n"
        #expect {
            try ClinicLog.parse(patients: patients, done: done, scores: scores, catalogue: catalogue)
        } throws: { error in
            Set((error as? DataErrors)?.issues.map(\.description) ?? []) == [
                "patients.csv:3:3: baseline must be a number from 0 to 24, got \"30\"",
                "patients.csv:4:2: unknown measure \"psfs\"; expected one of rmdq, odi, nprs",
                "patients.csv:5:1: patient \"p1\" is listed twice (first on line 2)",
                "done.csv:2:3: unknown exercise id \"no-such\"; it is not in the catalogue",
                "done.csv:3:1: unknown patient \"p9\"; it is not in patients.csv",
                "done.csv:4:2: week must be a whole number from 1 to 104, got \"0\"",
                "scores.csv:2:3: score must be a number from 0 to 24, got \"25\"",
                "scores.csv:3:2: patient \"p1\" has two scores in week 2 (first on line 2)",
            ]
        }
        // A missing column is named on the header line.
        #expect(throws: DataErrors.self) {
            try ClinicLog.parse(patients: "patient_id,measure\np1,rmdq\n", done: done, scores: scores, catalogue: catalogue)
        }
    }

    @Test("relief tune --clinic: a planted clinic's weights are written and read by relief plan; an equal one's are refused (7) and nothing is written")
    func commandLine() throws {
        try withTemporaryDirectory { dir in
            let g1 = try runRelief(["outcomes", "generate-clinic", "--data", Fixtures.shipped, "--patients", "600", "--seed", "4", "--out", dir + "/planted"])
            #expect(g1.status == 0)
            let g2 = try runRelief(["outcomes", "generate-clinic", "--data", Fixtures.shipped, "--patients", "600", "--seed", "4", "--out", dir + "/again"])
            #expect(g2.status == 0)
            for f in ["patients.csv", "done.csv", "scores.csv", "true-effects.csv"] {
                #expect(FileManager.default.contentsEqual(atPath: dir + "/planted/" + f, andPath: dir + "/again/" + f))
            }
            let out = dir + "/tuned.csv"
            let r = try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", dir + "/planted", "--bootstrap", "20", "--out", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("it may be applied"))
            #expect(r.stdout.contains("What would change in the plans"))
            let catalogue = try Catalogue.load(directory: Fixtures.shipped)
            let tuned = try WeightOverrides.load(path: out, catalogue: catalogue).applied(to: catalogue)
            func factor(_ m: Modality) -> Double {
                let e = catalogue.exercises.indices.first { catalogue.exercises[$0].modality == m && catalogue.exercises[$0].benefits.reduce(0, +) > 0 }!
                return tuned.exercises[e].benefits.reduce(0, +) / catalogue.exercises[e].benefits.reduce(0, +)
            }
            // Planted: strengthening 0.03 a hundred points, release 0.005.
            #expect(factor(.strengthen) > 1 && factor(.release) < 1)
            let plan = try runRelief(["plan", "--data", Fixtures.shipped, "--minutes", "20", "--screen", "clear", "--weights", out])
            #expect(plan.status == 0)

            _ = try runRelief(["outcomes", "generate-clinic", "--data", Fixtures.shipped, "--patients", "1500", "--seed", "5", "--effects", "equal", "--out", dir + "/equal"])
            let refused = dir + "/refused.csv"
            let q = try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", dir + "/equal", "--bootstrap", "0", "--out", refused])
            #expect(q.status == 7)
            #expect(q.stdout.contains("not applied"))
            #expect(!FileManager.default.fileExists(atPath: refused))
        }
    }

    @Test("relief tune --clinic refuses flags out of range (64) and a missing folder (65)")
    func refusals() throws {
        let clinic = Fixtures.shipped + "/outcomes/clinic"
        // The verdict needs cross-validation, so no --folds 0; a bootstrap of 5 gives no 95 % interval worth the name.
        #expect(try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", clinic, "--folds", "0"]).status == 64)
        #expect(try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", clinic, "--bootstrap", "5"]).status == 64)
        #expect(try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", clinic, "--logs", clinic]).status == 64)
        let missing = try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", "/nonexistent-clinic"])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("/nonexistent-clinic/patients.csv: file not found"))
    }

    @Test("the shipped clinic's report runs")
    func shipped() throws {
        let r = try runRelief(["tune", "--data", Fixtures.shipped, "--clinic", Fixtures.shipped + "/outcomes/clinic", "--bootstrap", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Verdict: "))
    }
}
