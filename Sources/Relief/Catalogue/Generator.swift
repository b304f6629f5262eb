import Foundation

/// Seeded catalogues shaped like the shipped one, for benchmarks and tests at sizes no
/// person would write: three causes; each exercise has a main cause (by modality) with 3–8
/// points per unit and 0–2 points for the others; seconds per unit in multiples of 5; about one
/// in ten is continuous (minutes, like walking); setup times 0–30 s.
public struct CatalogueGenerator: Sendable {
    public let seed: UInt64
    public var shape: Shape
    public init(seed: UInt64, shape: Shape = .demanding) { self.seed = seed; self.shape = shape }

    /// Both shapes occur in practice.
    public enum Shape: String, Sendable, CaseIterable {
        /// Minimums grow with the square root of the size: a large catalogue needs many
        /// exercises, as a demanding clinic programme would (the race's generator).
        case demanding
        /// The shipped minimums (20, 16, 12) whatever the size: a few exercises meet them, as
        /// in a clinic library of thousands where a person needs a short routine.
        case easy
    }

    public static let causes = [
        Cause(id: "muscle", name: "Muscle imbalance", description: "", defaultMinimum: 20),
        Cause(id: "joint", name: "Joint imbalance", description: "", defaultMinimum: 16),
        Cause(id: "trigger", name: "Trigger points", description: "", defaultMinimum: 12),
    ]

    /// A catalogue of `count` exercises; minimums grow with the square root of the size so
    /// that large catalogues need many exercises, as a demanding clinic programme would.
    public func catalogue(count: Int) -> Catalogue {
        var rng = SplitMix64(seed: seed)
        let scale = shape == .easy ? 1 : max(1, (Double(count) / 50).squareRoot())
        let causes = Self.causes.map {
            Cause(id: $0.id, name: $0.name, description: $0.description, defaultMinimum: ($0.defaultMinimum * scale).rounded())
        }
        let mainCause: [Modality: Int] = [.release: 2, .mobilise: 1, .stretch: 0, .strengthen: 0, .aerobic: 0]
        let exercises = (0..<count).map { k -> Exercise in
            let continuous = rng.next() % 10 == 0
            let modality: Modality = continuous ? .aerobic : [.release, .mobilise, .stretch, .strengthen][Int(rng.next() % 4)]
            var benefits = (0..<3).map { _ in Double(rng.next() % 3) }
            benefits[mainCause[modality]!] = Double(3 + rng.next() % 6)
            if continuous { benefits = benefits.map { ($0 / 5 * 10).rounded() / 10 } }
            return Exercise(
                id: "gen-\(k)", name: "Generated exercise \(k)", modality: modality,
                unit: continuous ? "minute" : "set", dose: "", secondsPerUnit: continuous ? 60 : Double(4 + rng.next() % 33) * 5,
                whole: !continuous, maxUnits: continuous ? 30 : Double(1 + rng.next() % 4),
                setupSeconds: Double(rng.next() % 7) * 5, equipment: [], avoidIf: [], benefits: benefits,
                source: "generated (seed \(seed))", instructions: "Generated exercise: do \(continuous ? "the minutes" : "the sets") at an easy pace.")
        }
        return Catalogue(causes: causes, exercises: exercises)
    }
}

extension Catalogue {
    /// The catalogue as the two CSV files `relief` reads (causes.csv, exercises.csv), for
    /// generated catalogues that a command is to plan from (the benchmarks).
    public func csvFiles() -> (causes: String, exercises: String) {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)" }
        var causesText = "id,name,description,default_minimum\n"
        for c in causes { causesText += [c.id, c.name, c.description, number(c.defaultMinimum)].map(field).joined(separator: ",") + "\n" }
        var header = ["id", "name", "modality", "unit", "dose", "seconds_per_unit", "whole", "max_units", "setup_seconds",
                      "equipment", "avoid_if"]
        header += causes.map(\.id)
        header += ["source", "instructions", "min_units", "stop_if"]
        var exercisesText = header.joined(separator: ",") + "\n"
        for ex in exercises {
            var row = [ex.id, ex.name, ex.modality.rawValue, ex.unit, ex.dose, number(ex.secondsPerUnit), ex.whole ? "yes" : "no",
                       number(ex.maxUnits), number(ex.setupSeconds), ex.equipment.joined(separator: ";"), ex.avoidIf.joined(separator: ";")]
            row += ex.benefits.map(number)
            row += [ex.source, ex.instructions, ex.minUnits == 0 ? "" : number(ex.minUnits), ex.stopIf]
            exercisesText += row.map(field).joined(separator: ",") + "\n"
        }
        return (causesText, exercisesText)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast and the same on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Synthetic outcome logs from known "true" weights, so tuning can be checked against the truth.
///
/// The true weights are the catalogue's prior, each multiplied by a factor drawn uniformly from
/// [0.5, 1.5]. A session does 2–5 different exercises, 1 to max_units units each (continuous
/// exercises: 1–10 whole minutes); each cause's response is Σ true weight × units plus Laplace
/// noise of scale `noise` (mean absolute value `noise`); with probability `outlierRate` a
/// response is replaced by a wild one, the true value plus 10–30 points.
public struct OutcomeGenerator: Sendable {
    public let seed: UInt64
    public var noise: Double = 0.5
    public var outlierRate: Double = 0.05

    public init(seed: UInt64) { self.seed = seed }

    public func trueWeights(for catalogue: Catalogue) -> [[Double]] {
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        return catalogue.exercises.map { ex in
            ex.benefits.map { ($0 * (0.5 + Double(rng.next() % 1001) / 1000) * 100).rounded() / 100 }
        }
    }

    public func log(for catalogue: Catalogue, sessions count: Int, truth: [[Double]]) -> OutcomeLog {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / Double(1 << 53) }
        let n = catalogue.exercises.count
        let sessions = (0..<count).map { s -> OutcomeLog.Session in
            var units: [Int: Double] = [:]
            let want = min(n, 2 + Int(rng.next() % 4))
            while units.count < want {
                let e = Int(rng.next() % UInt64(n))
                guard units[e] == nil else { continue }
                let ex = catalogue.exercises[e]
                units[e] = ex.whole ? Double(1 + rng.next() % UInt64(ex.maxUnits)) : Double(1 + rng.next() % 10)
            }
            var responses: [Int: Double] = [:]
            for c in catalogue.causes.indices {
                let truthValue = units.reduce(0) { $0 + truth[$1.key][c] * $1.value }
                let u = uniform() - 0.5
                let laplace = -noise * (u < 0 ? -1 : 1) * Foundation.log(1 - 2 * abs(u))
                var r = truthValue + laplace
                if uniform() < outlierRate { r = truthValue + 10 + 20 * uniform() }
                responses[c] = (r * 100).rounded() / 100
            }
            return OutcomeLog.Session(id: "s\(s + 1)", units: units, responses: responses)
        }
        return OutcomeLog(sessions: sessions)
    }
}
