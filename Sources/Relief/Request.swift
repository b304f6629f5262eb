import Foundation

/// What a person asks for. Every field has a sensible default, so `PlanRequest()` is the
/// shortest routine that gives every cause its catalogue minimum.
public struct PlanRequest: Sendable, Hashable {
    /// The time budget; nil means no budget, just the shortest routine.
    public var budgetSeconds: Double?
    /// Minimum coverage per cause id, overriding the catalogue's defaults.
    public var minimums: [String: Double] = [:]
    /// No single exercise may supply more than this share of any cause's minimum.
    public var maxShare: Double = 0.5
    /// At most this many distinct exercises.
    public var maxExercises: Int?
    /// Conditions the person has; exercises to avoid with them are left out.
    public var conditions: Set<String> = []
    /// Exercise ids the person does not want.
    public var excluded: Set<String> = []
    /// Equipment the person has; nil means any. An empty set means none at all.
    public var equipment: Set<String>?
    /// Solver time limit in seconds for the whole request.
    public var timeLimit: Double?
    /// Price one more point of each cause by re-solving (one extra MILP per binding cause).
    public var explain: Bool = true
    /// Stop the search for the shortest routine once it is proven within this relative gap
    /// (0: prove it shortest). A routine stopped by the gap is reported as `feasible`.
    public var relativeGap: Double = 0

    public init() {}
}

/// A named example person, stored as JSON in `data/profiles/`.
public struct Profile: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var minutes: Double?
    public var conditions: [String]?
    public var equipment: [String]?
    public var exclude: [String]?
    public var minimums: [String: Double]?
    public var maxShare: Double?
    public var maxExercises: Int?

    enum CodingKeys: String, CodingKey {
        case name, description, minutes, conditions, equipment, exclude, minimums
        case maxShare = "max_share"
        case maxExercises = "max_exercises"
    }

    /// Reads a profile and checks it against the catalogue; every problem is reported.
    public static func load(path: String, catalogue: Catalogue) throws -> Profile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataErrors([DataIssue(file: path, "file not found")])
        }
        let profile: Profile
        do {
            profile = try JSONDecoder().decode(Profile.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw DataErrors([DataIssue(file: path, "\(keyPath(context.codingPath)): \(context.debugDescription)")])
        } catch let DecodingError.keyNotFound(key, _) {
            throw DataErrors([DataIssue(file: path, "missing key \"\(key.stringValue)\"")])
        } catch {
            throw DataErrors([DataIssue(file: path, "not valid JSON: \(error.localizedDescription)")])
        }
        var issues = IssueCollector()
        if let m = profile.minutes, !(m.isFinite && m > 0) {
            issues.add(path, nil, nil, "minutes must be a positive number, got \(m)")
        }
        for c in profile.conditions ?? [] where !catalogue.knownConditions.contains(c) {
            issues.add(path, nil, nil, "conditions: unknown condition \"\(c)\"; known: \(catalogue.knownConditions.joined(separator: ", "))")
        }
        for e in profile.equipment ?? [] where !catalogue.knownEquipment.contains(e.lowercased()) {
            issues.add(path, nil, nil, "equipment: unknown equipment \"\(e)\"; known: \(catalogue.knownEquipment.joined(separator: ", "))")
        }
        for id in profile.exclude ?? [] where catalogue.exerciseIndex(id) == nil {
            issues.add(path, nil, nil, "exclude: unknown exercise id \"\(id)\"")
        }
        for (cause, points) in (profile.minimums ?? [:]).sorted(by: { $0.key < $1.key }) {
            if catalogue.causeIndex(cause) == nil {
                issues.add(path, nil, nil, "minimums: unknown cause \"\(cause)\"; expected one of \(catalogue.causes.map(\.id).joined(separator: ", "))")
            } else if !(points.isFinite && points >= 0) {
                issues.add(path, nil, nil, "minimums.\(cause) must be a number ≥ 0, got \(points)")
            }
        }
        if let s = profile.maxShare, !(s > 0 && s <= 1) {
            issues.add(path, nil, nil, "max_share must be in (0, 1], got \(s)")
        }
        if let k = profile.maxExercises, k < 1 {
            issues.add(path, nil, nil, "max_exercises must be at least 1, got \(k)")
        }
        try issues.throwIfAny()
        return profile
    }

    /// The request this profile stands for.
    public var request: PlanRequest {
        var r = PlanRequest()
        r.budgetSeconds = minutes.map { $0 * 60 }
        r.conditions = Set(conditions ?? [])
        r.equipment = equipment.map { Set($0.map { $0.lowercased() }) }
        r.excluded = Set(exclude ?? [])
        r.minimums = minimums ?? [:]
        if let maxShare { r.maxShare = maxShare }
        r.maxExercises = maxExercises
        return r
    }
}

private func keyPath(_ path: [CodingKey]) -> String {
    path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}

extension PlanRequest {
    /// Checks the request against the catalogue (unknown ids, conditions, causes, values out
    /// of range); every problem is listed.
    public func validate(against catalogue: Catalogue) -> [String] {
        var problems: [String] = []
        if let b = budgetSeconds, !(b.isFinite && b > 0) { problems.append("the time budget must be a positive number of minutes") }
        if !(maxShare > 0 && maxShare <= 1) { problems.append("--max-share must be in (0, 1], got \(maxShare)") }
        if let k = maxExercises, k < 1 { problems.append("--max-exercises must be at least 1, got \(k)") }
        if let t = timeLimit, !(t.isFinite && t > 0) { problems.append("--time-limit must be a positive number of seconds, got \(t)") }
        if !(relativeGap.isFinite && relativeGap >= 0) { problems.append("--gap must be a number ≥ 0, got \(relativeGap)") }
        for (cause, points) in minimums.sorted(by: { $0.key < $1.key }) {
            if catalogue.causeIndex(cause) == nil {
                problems.append("unknown cause \"\(cause)\"; expected one of \(catalogue.causes.map(\.id).joined(separator: ", "))")
            } else if !(points.isFinite && points >= 0) {
                problems.append("the minimum for \(cause) must be a number ≥ 0, got \(points)")
            }
        }
        for c in conditions.sorted() where !catalogue.knownConditions.contains(c) {
            problems.append("unknown condition \"\(c)\"; known conditions: \(catalogue.knownConditions.joined(separator: ", "))")
        }
        for id in excluded.sorted() where catalogue.exerciseIndex(id) == nil {
            problems.append("unknown exercise id \"\(id)\" to exclude; `relief catalogue list` shows the ids")
        }
        for e in (equipment ?? []).sorted() where !catalogue.knownEquipment.contains(e) {
            problems.append("unknown equipment \"\(e)\"; known: \(catalogue.knownEquipment.joined(separator: ", "))")
        }
        return problems
    }
}
