import Foundation

/// A set of exercises a session should include some of: McGill's three for trunk endurance, a
/// body region a profile names (hip flexors, hamstrings), balance, or a direction of movement a
/// condition calls for (extension for flexion intolerance: directional preference). Read from
/// the catalogue's optional `focus.csv`. Each focus is one row of the routine model: the number
/// of its exercises a routine uses, between a least and a most (``FocusBound``).
public struct Focus: Sendable, Hashable {
    public let id: String
    public let name: String
    /// Why a session has it, in words for the person ("trunk endurance: McGill's three").
    public let why: String
    /// Catalogue indices of its exercises, in catalogue order.
    public let members: [Int]
    /// How many of its exercises a session uses when the focus applies (0: none needed).
    public let minimum: Int
    /// At most this many of its exercises in a session when the focus applies (nil: no cap).
    public let maximum: Int?
    /// Whom it applies to.
    public let applies: Applies
    public let source: String
    /// When the focus applies, each of its exercises that a session uses has at least this many
    /// units (sets): a dose floor tied to a condition, e.g. two sets of each leg-strength
    /// exercise with osteoporosis (Osteoporosis Canada: two sets of 8-12 repetitions). 0: none
    /// beyond the exercise's own. From the optional `min_units` column of `focus.csv`.
    public var minUnits: Double = 0

    public enum Applies: Sendable, Hashable {
        /// Every session that has room for it (McGill's three, the glute bridge, a warm-up).
        case everyone
        /// Only when a request or profile asks for it (`focus`).
        case onRequest
        /// When the person has one of these conditions (directional preference).
        case conditions(Set<String>)
    }

    /// The most a request may ask of one focus.
    public static let requestLimit = 5
}

/// One focus row as a request configures it: at least `lower` and at most `upper` of the
/// focus's exercises in the routine.
public struct FocusBound: Sendable, Hashable {
    /// The focus's index in ``Catalogue/focuses``.
    public let focus: Int
    public let lower: Int
    public let upper: Int?
    /// Whether it is a default that is dropped when the session has no room for it (a focus
    /// that applies to everyone and the request did not ask for by name).
    public let droppable: Bool
}

extension Catalogue {
    /// Each focus that applies to `request`, with its bounds: the request's own minimum for a
    /// focus it names (0 switches a default off), else the focus's minimum when it applies to
    /// everyone or to one of the request's conditions. A focus the request skips
    /// (``PlanRequest/skippedFocus``) keeps only its cap. A least above the number of the
    /// focus's exercises in `usable` (catalogue indices) is lowered to that number: a focus
    /// whose exercises are all left out for the person asks for none.
    public func focusBounds(for request: PlanRequest, usable: [Int]) -> [FocusBound] {
        guard !focuses.isEmpty else { return [] }
        let usableSet = Set(usable)
        var out: [FocusBound] = []
        for (k, focus) in focuses.enumerated() {
            let applies: Bool
            switch focus.applies {
            case .everyone: applies = true
            case .onRequest: applies = false
            case .conditions(let cs): applies = !cs.isDisjoint(with: request.conditions)
            }
            var lower = request.focus[focus.id] ?? (applies ? focus.minimum : 0)
            let upper = applies ? focus.maximum : nil
            if request.skippedFocus.contains(focus.id) { lower = 0 }
            lower = min(lower, focus.members.filter(usableSet.contains).count)
            if let upper { lower = min(lower, upper) }
            guard lower > 0 || upper != nil else { continue }
            let droppable = request.focus[focus.id] == nil && focus.applies == .everyone
            out.append(FocusBound(focus: k, lower: lower, upper: upper, droppable: droppable))
        }
        return out
    }

    /// Per catalogue index, the least units a session that uses the exercise gives it because of
    /// a focus (``Focus/minUnits``) that applies to `request` (to everyone, to one of its
    /// conditions, or named by it): the largest such floor. Exercises without one are absent.
    public func focusFloors(for request: PlanRequest) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for focus in focuses where focus.minUnits > 0 {
            let applies: Bool
            switch focus.applies {
            case .everyone: applies = true
            case .onRequest: applies = (request.focus[focus.id] ?? 0) > 0
            case .conditions(let cs): applies = !cs.isDisjoint(with: request.conditions)
            }
            guard applies else { continue }
            for e in focus.members { out[e] = max(out[e] ?? 0, focus.minUnits) }
        }
        return out
    }

    /// The focuses a request names whose exercises are all left out for the person: the plan
    /// says so instead of silently asking for none.
    public func unreachableFocus(for request: PlanRequest, usable: [Int]) -> [Focus] {
        let usableSet = Set(usable)
        return focuses.filter { f in
            (request.focus[f.id] ?? 0) > 0 && !f.members.contains(where: usableSet.contains)
        }
    }

    public func focusIndex(_ id: String) -> Int? { focuses.firstIndex { $0.id == id } }

    static let focusFields = ["id", "name", "exercises", "minimum", "maximum", "applies", "why", "source"]

    /// Reads `focus.csv`: every exercise it names must be in the catalogue; `applies` is
    /// `everyone`, `request` or conditions separated by `;`.
    static func focuses(from table: CSVTable, exercises: [Exercise]) throws -> [Focus] {
        let path = table.file
        var issues = IssueCollector()
        let columns = checkHeader(table, required: focusFields, optional: ["min_units"], issues: &issues,
                                  hint: focusFields.joined(separator: ",") + " (and optionally min_units)")
        try issues.throwIfAny()
        var index: [String: Int] = [:]
        for (k, ex) in exercises.enumerated() where index[ex.id] == nil { index[ex.id] = k }
        var out: [Focus] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            if record.fields.count != table.header.count {
                issues.add(path, record.line, nil, "expected \(table.header.count) fields as in the header, got \(record.fields.count)")
                continue
            }
            var f = FieldReader(file: path, line: record.line, columns: columns, fields: record.fields, issues: issues)
            let id = f.text("id")
            if !id.isEmpty, let problem = identifierProblem(id) { f.fail("id", problem) }
            if let first = seen[id] { f.fail("id", "duplicate focus id \"\(id)\" (first on line \(first))") }
            seen[id] = seen[id] ?? record.line
            let name = f.text("name")
            let why = f.text("why", required: false)
            var members: [Int] = []
            for ex in f.list("exercises") {
                if let e = index[ex] { members.append(e) } else {
                    f.fail("exercises", "exercises must name exercises of the catalogue, got \"\(ex)\"")
                }
            }
            if f.list("exercises").isEmpty { f.fail("exercises", "exercises must list at least one exercise id, separated by ;") }
            let range = Limits.focus
            let minimum = f.number("minimum", range)
            let maximum = f.raw("maximum").isEmpty ? nil : f.number("maximum", range)
            if let minimum, let maximum, maximum < minimum {
                f.fail("maximum", "maximum must be at least minimum (\(readable(minimum))), got \"\(f.raw("maximum"))\"")
            }
            let appliesText = f.raw("applies").lowercased()
            let applies: Focus.Applies
            switch appliesText {
            case "everyone": applies = .everyone
            case "request": applies = .onRequest
            default:
                let conditions = Set(f.list("applies"))
                if conditions.isEmpty || conditions.contains(where: { !isIdentifier($0) }) {
                    f.fail("applies", "applies must be \"everyone\", \"request\" or conditions separated by ;, got \"\(f.raw("applies"))\"")
                }
                applies = .conditions(conditions)
            }
            let source = f.text("source", required: false)
            let minUnits = columns["min_units"] == nil || f.raw("min_units").isEmpty ? 0 : f.number("min_units", Limits.focus)
            let before = issues.issues.count
            issues = f.issues
            guard issues.issues.count == before, let minimum, let minUnits else { continue }
            out.append(Focus(id: id, name: name, why: why, members: members.sorted(), minimum: Int(minimum),
                             maximum: maximum.map { Int($0) }, applies: applies, source: source, minUnits: minUnits))
        }
        try issues.throwIfAny()
        return out
    }
}

/// How a routine meets one focus that applied to its request.
public struct FocusCoverage: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let why: String
    /// Exercises of the focus the request asked for (after any default dropped for room).
    public let least: Int
    public let most: Int?
    /// Exercises of the focus in the routine.
    public let used: Int
    /// Whether the least asked for was dropped because the session had no room for it.
    public let dropped: Bool
    /// Why it was dropped: no room in the `time`, or no routine at all with it under the
    /// session's other `limits` (the cap on exercises, each area covered, the shares).
    public var droppedFor: DropReason? = nil

    public enum DropReason: String, Sendable, Hashable, Codable { case time, limits }

    public var met: Bool { used >= least && most.map { used <= $0 } ?? true }
}
