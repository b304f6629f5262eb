/// Seeded catalogues shaped like the shipped one, for benchmarks and tests at sizes no
/// person would write: three causes; each exercise has a main cause (by modality) with 3–8
/// points per unit and 0–2 points for the others; seconds per unit in multiples of 5; about one
/// in ten is continuous (minutes, like walking); setup times 0–30 s.
public struct CatalogueGenerator: Sendable {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    public static let causes = [
        Cause(id: "muscle", name: "Muscle imbalance", description: "", defaultMinimum: 20),
        Cause(id: "joint", name: "Joint imbalance", description: "", defaultMinimum: 16),
        Cause(id: "trigger", name: "Trigger points", description: "", defaultMinimum: 12),
    ]

    /// A catalogue of `count` exercises; minimums grow with the square root of the size so
    /// that large catalogues need many exercises, as a demanding clinic programme would.
    public func catalogue(count: Int) -> Catalogue {
        var rng = SplitMix64(seed: seed)
        let scale = max(1, (Double(count) / 50).squareRoot())
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
                source: "generated (seed \(seed))", instructions: "")
        }
        return Catalogue(causes: causes, exercises: exercises)
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
