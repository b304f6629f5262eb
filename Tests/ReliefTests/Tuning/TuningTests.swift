import Foundation
import ReliefTestSupport
import Testing
@testable import GLPK
@testable import Relief

@Suite("Tuning weights from outcome logs")
struct TuningTests {
    /// One cause, one exercise with prior 5; three sessions of one unit with responses 1, 2, 10.
    func tiny(priorStrength: Double) throws -> Double {
        let ex = Exercise(id: "e", name: "E", modality: .stretch, unit: "set", dose: "", secondsPerUnit: 60, whole: true,
                          maxUnits: 3, setupSeconds: 0, equipment: [], avoidIf: [], benefits: [5], source: "t", instructions: "")
        let catalogue = Catalogue(causes: [Cause(id: "a", name: "A", description: "", defaultMinimum: 1)], exercises: [ex])
        let log = [1.0, 2, 10].enumerated().map { OutcomeLog.Session(id: "s\($0.offset)", units: [0: 1], responses: [0: $0.element]) }
        return try Tuner(catalogue: catalogue, priorStrength: priorStrength).fit(log)[0][0]
    }

    @Test("by hand: least absolute deviations picks the median, and the prior holds when moving costs more than it saves")
    func handSolved() throws {
        // λ = 0: Σ|r − w| over 1, 2, 10 is least at the median, 2 (the outlier 10 does not drag it).
        #expect(abs(try tiny(priorStrength: 0) - 2) < 1e-9)
        // λ = 0.5: at w = 5 the error is 4 + 3 + 5 = 12; at w = 2 it is 1 + 0 + 8 = 9 plus 0.5·3 = 10.5.
        #expect(abs(try tiny(priorStrength: 0.5) - 2) < 1e-9)
        // λ = 10: moving to 2 saves 3 points of error and costs 30: the weight stays 5.
        #expect(abs(try tiny(priorStrength: 10) - 5) < 1e-9)
    }

    @Test("the fit reaches the optimum of the primal LAD programme, built independently here")
    func optimal() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let generator = OutcomeGenerator(seed: 11)
        let log = generator.log(for: catalogue, sessions: 150, truth: generator.trueWeights(for: catalogue))
        let tuner = Tuner(catalogue: catalogue, priorStrength: 2)
        let weights = try tuner.fit(log.sessions)
        for c in catalogue.causes.indices {
            // min Σ (over + under) + 2 Σ (up + down) s.t. Σ u·w − over + under = r, w − up + down = p
            let p = Problem()
            var w: [Int: Variable] = [:]
            for e in Set(log.sessions.flatMap { $0.units.keys }).sorted() {
                w[e] = try p.addVariable(lower: 0)
                let up = try p.addVariable(lower: 0, objective: 2), down = try p.addVariable(lower: 0, objective: 2)
                let prior = catalogue.exercises[e].benefits[c]
                try p.addConstraint(terms: [(w[e]!, 1), (up, -1), (down, 1)], lower: prior, upper: prior)
            }
            for s in log.sessions {
                let over = try p.addVariable(lower: 0, objective: 1), under = try p.addVariable(lower: 0, objective: 1)
                let r = s.responses[c]!
                try p.addConstraint(terms: s.units.map { (w[$0.key]!, $0.value) } + [(over, -1), (under, 1)], lower: r, upper: r)
            }
            let optimum = try #require(try p.solve().objectiveValue)
            #expect(abs(tuner.objective(weights, sessions: log.sessions, cause: c) - optimum) < 1e-6 * max(1, optimum))
        }
    }

    @Test("the tuned weights approach the true ones as the log grows; unseen exercises keep their prior")
    func convergence() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let generator = OutcomeGenerator(seed: 5)
        let truth = generator.trueWeights(for: catalogue)
        func error(_ n: Int) throws -> Double {
            let log = generator.log(for: catalogue, sessions: n, truth: truth)
            let tuned = try Tuner(catalogue: catalogue, priorStrength: 2).fit(log.sessions)
            var total = 0.0, count = 0.0
            for e in catalogue.exercises.indices { for c in catalogue.causes.indices { total += abs(tuned[e][c] - truth[e][c]); count += 1 } }
            return total / count
        }
        let priorError = zip(catalogue.exercises, truth).reduce(0.0) { sum, pair in
            sum + zip(pair.0.benefits, pair.1).reduce(0) { $0 + abs($1.0 - $1.1) }
        } / Double(catalogue.exercises.count * catalogue.causes.count)
        let small = try error(100), medium = try error(1_000), large = try error(5_000)
        // The prior is off by 25 % of each weight on average (factors uniform on [0.5, 1.5]).
        #expect(small < priorError)
        #expect(medium < small * 0.8)
        #expect(large < medium * 0.8)
        #expect(large < 0.05)

        let three = generator.log(for: catalogue, sessions: 3, truth: truth)
        let seen = Set(three.sessions.flatMap { $0.units.keys })
        let tuned = try Tuner(catalogue: catalogue).fit(three.sessions)
        for e in catalogue.exercises.indices where !seen.contains(e) { #expect(tuned[e] == catalogue.exercises[e].benefits) }
    }

    @Test("cross-validated error: tuned weights beat the prior, within what the noise allows")
    func crossValidation() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let generator = OutcomeGenerator(seed: 9)
        let log = generator.log(for: catalogue, sessions: 1_000, truth: generator.trueWeights(for: catalogue))
        let errors = try Tuner(catalogue: catalogue).crossValidate(log, folds: 5)
        // Noise: Laplace with mean absolute value b = 0.5 on 95 % of responses; 5 % are 10–30
        // points off (mean 20). Even perfect weights score about 0.95·0.5 + 0.05·20 ≈ 1.5; allow
        // 0.4 for estimation error. The prior's systematic error is far larger.
        for e in errors {
            #expect(e.responses == 1_000)
            #expect(e.tunedError < 1.9)
            #expect(e.tunedError < e.priorError - 0.5)
        }
    }

    @Test("bad logs: unknown ids, non-numeric values and duplicate rows, located; nothing written")
    func badLogs() throws {
        try withTemporaryDirectory { dir in
            try write("session_id,exercise_id,units\ns1,cat-camel,2\ns1,no-such,1\ns1,cat-camel,1\ns2,bird-dog,x\n", to: dir + "/sessions.csv")
            try write("session_id,cause,response\ns1,muscle,1.5\ns1,muscle,2\ns1,spleen,1\ns1,joint,abc\ns9,joint,1\n", to: dir + "/responses.csv")
            let catalogue = try Catalogue.load(directory: Fixtures.shipped)
            do {
                _ = try OutcomeLog.load(directory: dir, catalogue: catalogue)
                Issue.record("a bad log was accepted")
            } catch let e as DataErrors {
                #expect(e.issues.map(\.description) == [
                    "\(dir)/sessions.csv:3:2: unknown exercise id \"no-such\"; it is not in the catalogue",
                    "\(dir)/sessions.csv:4:1: session \"s1\" lists \"cat-camel\" twice (first on line 2)",
                    "\(dir)/sessions.csv:5:3: units must be a number above 0 and at most 1,000, got \"x\"",
                    "\(dir)/responses.csv:3:1: session \"s1\" has two responses for \"muscle\" (first on line 2)",
                    "\(dir)/responses.csv:4:2: unknown cause \"spleen\"; expected one of muscle, joint, trigger",
                    "\(dir)/responses.csv:5:3: response must be a number from -100,000 to 100,000, got \"abc\"",
                    "\(dir)/responses.csv:6:1: session \"s9\" has a response but no exercises in sessions.csv",
                ])
            }
            // The command leaves an existing output file exactly as it was.
            let out = dir + "/weights.csv"
            try write("keep me\n", to: out)
            let r = try runRelief(["tune", "--data", Fixtures.shipped, "--logs", dir, "--out", out])
            #expect(r.status == 65)
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me\n")
        }
    }

    @Test("relief tune writes a weights file that relief plan reads")
    func endToEnd() throws {
        try withTemporaryDirectory { dir in
            let out = dir + "/tuned.csv"
            let r = try runRelief(["tune", "--data", Fixtures.shipped, "--logs", Fixtures.shipped + "/outcomes", "--out", out, "--folds", "3"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("3-fold cross-validated"))
            let plan = try runRelief(["plan", "--data", Fixtures.shipped, "--minutes", "15", "--weights", out])
            #expect(plan.status == 0 || plan.status == 3)
        }
    }
}
