import Foundation

/// What a person asks for. Every field has a sensible default, so `PlanRequest()` is the
/// shortest routine that gives every cause its catalogue minimum.
///
/// Every entry point builds one of these (flags, a profile, a batch line, an HTTP body) and
/// ``validate(against:)`` checks it in one place against ``Limits`` and the catalogue.
public struct PlanRequest: Sendable, Hashable {
    /// The time budget; nil means no budget, just the shortest routine.
    public var budgetSeconds: Double?
    /// Minimum coverage per cause id, overriding the catalogue's defaults.
    public var minimums: [String: Double] = [:]
    /// No single exercise may supply more than this share of any cause's minimum.
    public var maxShare: Double = 0.5
    /// At most this many distinct exercises.
    public var maxExercises: Int?
    /// Conditions the person has (lower case); exercises to avoid with them are left out.
    public var conditions: Set<String> = []
    /// Exercise ids the person does not want.
    public var excluded: Set<String> = []
    /// Exercise ids that must be in the routine (a clinician's prescription, a nerve slider for
    /// leg pain), at least one set or their least dose. Never overrides safety: an included
    /// exercise that is unsafe for the person's conditions or needs equipment they lack is an error.
    public var included: Set<String> = []
    /// Units an exercise of `included` keeps in every session of a programme that has it (a
    /// clinician's locked dose, the clinic's `locked`), whatever the blend share would allow;
    /// at most the exercise's `max_units`. Programmes only: a single plan's units stay the
    /// optimiser's.
    public var lockedUnits: [String: Double] = [:]
    /// Equipment the person has (lower case); nil means any. The default is none: a person who
    /// names no equipment gets a routine that needs none, and the plan says what one piece of
    /// kit would save.
    public var equipment: Set<String>? = []
    /// Solver time limit in seconds for the whole request.
    public var timeLimit: Double?
    /// Price one more point of each cause by re-solving (one extra MILP per binding cause).
    public var explain: Bool = true
    /// At least this share of the session's time goes to strengthening (APTA 2021: trunk
    /// strength and endurance; Owen 2020: stretching alone is no better than control), so that
    /// stretches alone never meet the muscle cause. 0 turns the rule off.
    public var strengthShare: Double = 0.4
    /// Answers to the red-flag screen, by question id (true: yes, it applies); nil: not done.
    public var screen: [String: Bool]? = nil
    /// Stop the search for the shortest routine once it is proven within this relative gap
    /// (0: prove it shortest). A routine stopped by the gap is reported as `feasible`.
    public var relativeGap: Double = 0
    /// How many exercises of each focus (``Focus``: `hip-flexors`, `balance`, `curl-up`) the
    /// session has, by focus id, overriding the catalogue's defaults (0 switches one off).
    public var focus: [String: Int] = [:]
    /// Defaults the planner found no room for in the budget, dropped in turn (``Focus``).
    var skippedFocus: Set<String> = []
    /// Those of ``skippedFocus`` that no routine could have at all with the defaults kept
    /// before them, whatever the time (the cap on exercises or another rule leaves no place).
    var skippedForLimits: Set<String> = []
    /// Whether the defaults with room have been chosen (``PlanningSession/focusWithRoom``).
    var focusSettled = false

    public init() {}
}

/// One thing wrong with a request: the field (as its JSON key path, e.g. `minimums.trigger`
/// or `conditions[1]`), the value given and what was expected; where the request came from a
/// JSON text, the line and column of the value.
public struct RequestProblem: Sendable, Hashable, CustomStringConvertible {
    public let field: String
    /// The value as given, or nil when the problem is a missing key.
    public let value: String?
    public let expected: String
    public var line: Int?
    public var column: Int?
    /// A known value the given one is probably a slip for (``Suggestion``): "did you mean …?".
    public var suggestion: String? = nil

    public init(field: String, value: String?, expected: String, line: Int? = nil, column: Int? = nil) {
        self.field = field
        self.value = value
        self.expected = expected
        self.line = line
        self.column = column
    }

    /// "max_share must be a number above 0 and at most 1, got 1.5"
    public var message: String { message(naming: field) }

    /// The message with the field called something else (a command-line flag, say).
    public func message(naming name: String) -> String {
        let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? ""
        guard let value else { return "\(name): \(expected)\(hint)" }
        return "\(name) must be \(expected), got \(value)\(hint)"
    }

    /// The problem with a suggestion for its value from `known`, when one is near.
    func suggesting(_ given: String, among known: [String]) -> RequestProblem {
        var p = self
        p.suggestion = Suggestion.closest(to: given, among: known)
        return p
    }

    public var description: String {
        guard let line else { return message }
        return "\(line):\(column ?? 1): \(message)"
    }

    /// The most problems one request reports: a body of thousands of unknown ids gets the
    /// first ones and a count, not an answer larger than the request.
    public static let reportedLimit = 20

    /// The first ``reportedLimit`` problems, then one that says how many more there were.
    public static func capped(_ problems: [RequestProblem]) -> [RequestProblem] {
        guard problems.count > reportedLimit else { return problems }
        let more = problems.count - reportedLimit
        return Array(problems.prefix(reportedLimit)) + [RequestProblem(
            field: "request", value: nil,
            expected: "\(more) more problem\(more == 1 ? "" : "s") not listed (the first \(reportedLimit) are); fix these and send it again")]
    }
}

/// A request that cannot be planned as asked (unknown ids, values out of range).
public struct RequestError: Error, Sendable, CustomStringConvertible {
    public let problems: [RequestProblem]
    public init(problems: [RequestProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The JSON keys of a request, shared by profiles, batch lines and the HTTP API.
public enum RequestKey: String, CaseIterable, Sendable {
    case minutes, minimums, conditions, exclude, include, equipment, explain, screen
    case maxShare = "max_share", maxExercises = "max_exercises", timeLimit = "time_limit"
    case strengthShare = "strength_share"
    case focus
}

extension PlanRequest {
    /// Checks the request against ``Limits`` and the catalogue (unknown causes, conditions,
    /// exercise ids, equipment); every problem is listed, named by its JSON key.
    public func validate(against catalogue: Catalogue) -> [RequestProblem] {
        var problems: [RequestProblem] = []
        // Suggestions only for the problems a caller is shown (``RequestProblem/capped(_:)``):
        // a body of thousands of unknown ids costs no search for each.
        func suggest(_ p: RequestProblem, _ given: String, _ known: [String]) -> RequestProblem {
            problems.count < RequestProblem.reportedLimit ? p.suggesting(given, among: known) : p
        }
        func check(_ field: String, _ x: Double, _ range: NumberRange) {
            if !range.contains(x) { problems.append(RequestProblem(field: field, value: readable(x), expected: range.expected)) }
        }
        if let b = budgetSeconds {
            // Minutes as given: seconds / 60 rounds, so compare in seconds.
            if !(b.isFinite && b > 0 && b <= Limits.minutes.upper * 60) {
                problems.append(RequestProblem(field: "minutes", value: readable(b / 60), expected: Limits.minutes.expected))
            }
        }
        check("max_share", maxShare, Limits.maxShare)
        check("strength_share", strengthShare, Limits.strengthShare)
        for (id, _) in (screen ?? [:]).sorted(by: { $0.key < $1.key }) where RedFlagScreen.question(id) == nil {
            problems.append(RedFlagScreen.unknownQuestion(id, field: "screen"))
        }
        if let k = maxExercises { check("max_exercises", Double(k), Limits.maxExercises) }
        if let t = timeLimit { check("time_limit", t, Limits.timeLimit) }
        check("gap", relativeGap, Limits.gap)
        let causeIDs = catalogue.causes.map(\.id)
        for (cause, points) in minimums.sorted(by: { $0.key < $1.key }) {
            if catalogue.causeIndex(cause) == nil {
                let lowerCase = causeIDs.contains { $0.lowercased() == cause.lowercased() }
                problems.append(suggest(RequestProblem(field: "minimums", value: "\"\(cause)\"",
                                               expected: "a cause id, one of \(causeIDs.joined(separator: ", "))\(lowerCase ? " (ids are lower case)" : "")"), cause, causeIDs))
            } else {
                check("minimums.\(cause)", points, Limits.minimum)
            }
        }
        let focusIDs = catalogue.focuses.map(\.id)
        for (id, n) in focus.sorted(by: { $0.key < $1.key }) {
            if catalogue.focusIndex(id) == nil {
                problems.append(RequestProblem(field: "focus", value: "\"\(id)\"",
                                               expected: focusIDs.isEmpty ? "no focus: this catalogue has no focus.csv"
                                                   : "a focus id, one of \(focusIDs.joined(separator: ", "))"))
            } else {
                check("focus.\(id)", Double(n), Limits.focus)
            }
        }
        let conditionsKnown = catalogue.knownConditions
        for c in conditions.sorted() where !conditionsKnown.contains(c) {
            problems.append(suggest(RequestProblem(field: "conditions", value: "\"\(c)\"",
                                           expected: "a known condition, one of \(conditionsKnown.joined(separator: ", "))"), c, conditionsKnown))
        }
        let exerciseIDs = catalogue.exercises.map(\.id)
        for id in excluded.sorted() where catalogue.exerciseIndex(id) == nil {
            problems.append(suggest(RequestProblem(field: "exclude", value: "\"\(id)\"",
                                           expected: "an exercise id from the catalogue (`relief catalogue list` shows them)"), id, exerciseIDs))
        }
        for id in included.sorted() {
            guard let e = catalogue.exerciseIndex(id) else {
                problems.append(suggest(RequestProblem(field: "include", value: "\"\(id)\"",
                                               expected: "an exercise id from the catalogue (`relief catalogue list` shows them)"), id, exerciseIDs))
                continue
            }
            let ex = catalogue.exercises[e]
            var why: [String] = ex.avoidIf.filter { conditions.contains($0) }.map { Exclusion.unsafe($0, why: ex.avoidWhy[$0]) }
            // A variant for other people (a chair version, a nerve slider for leg symptoms) is a
            // fit, not a safety rule: naming it includes it (a physiotherapist's prescription).
            if let have = equipment { why += ex.equipment.filter { !have.contains($0) }.map { "needs \($0)" } }
            if excluded.contains(id) { why.append("also excluded") }
            if !why.isEmpty {
                problems.append(RequestProblem(field: "include", value: "\"\(id)\" (\(why.joined(separator: "; ")))",
                                               expected: "an exercise that is safe with your conditions and uses equipment you have"))
            }
        }
        let equipmentKnown = catalogue.knownEquipment
        for e in (equipment ?? []).sorted() where !equipmentKnown.contains(e) {
            problems.append(suggest(RequestProblem(field: "equipment", value: "\"\(e)\"",
                                           expected: "known equipment, one of \(equipmentKnown.joined(separator: ", "))"), e, equipmentKnown))
        }
        return problems
    }

    /// Reads a request from a JSON object: the keys of ``RequestKey`` plus `extraKeys` (which
    /// the caller reads itself). Type problems and unknown keys are returned with their line
    /// and column; ranges and catalogue ids are checked by ``validate(against:)``, whose
    /// problems ``locate(_:in:)`` places in the same text.
    public static func decode(_ node: JSONNode, extraKeys: Set<String> = [], explainByDefault: Bool = true)
        -> (PlanRequest, [RequestProblem]) {
        var r = PlanRequest()
        r.explain = explainByDefault
        var problems: [RequestProblem] = []
        func problem(_ field: String, _ n: JSONNode, _ expected: String) {
            problems.append(RequestProblem(field: field, value: n.shown, expected: expected, line: n.line, column: n.column))
        }
        guard case .object(let members) = node.value else {
            problems.append(RequestProblem(field: "request", value: node.shown, expected: "a JSON object such as {\"minutes\": 15}",
                                           line: node.line, column: node.column))
            return (r, problems)
        }
        func number(_ field: String, _ n: JSONNode) -> Double? {
            if case .number(let x, _) = n.value { return x }
            problem(field, n, "a number")
            return nil
        }
        func strings(_ field: String, _ n: JSONNode) -> [String] {
            guard case .array(let items) = n.value else { problem(field, n, "an array of strings"); return [] }
            guard items.count <= Limits.listItems else {
                problems.append(RequestProblem(field: field, value: "an array of \(items.count) items",
                                               expected: "an array of at most \(readable(Double(Limits.listItems))) strings",
                                               line: n.line, column: n.column))
                return []
            }
            var out: [String] = []
            for (k, item) in items.enumerated() {
                if case .string(let s) = item.value { out.append(s) } else { problem("\(field)[\(k)]", item, "a string") }
            }
            return out
        }
        let known = Set(RequestKey.allCases.map(\.rawValue))
        for m in members {
            guard let key = RequestKey(rawValue: m.key) else {
                if !extraKeys.contains(m.key) {
                    let all = (known.union(extraKeys)).sorted().joined(separator: ", ")
                    let p = RequestProblem(field: m.key, value: nil, expected: "unknown key; expected one of \(all)",
                                           line: m.value.line, column: m.value.column)
                    problems.append(problems.count < RequestProblem.reportedLimit ? p.suggesting(m.key, among: known.union(extraKeys).sorted()) : p)
                }
                continue
            }
            let n = m.value
            if case .null = n.value { continue }     // null: the default
            if problems.count > RequestProblem.reportedLimit { break }
            switch key {
            case .minutes: if let x = number("minutes", n) { r.budgetSeconds = x * 60 }
            case .maxShare: if let x = number("max_share", n) { r.maxShare = x }
            case .strengthShare: if let x = number("strength_share", n) { r.strengthShare = x }
            case .screen:
                if case .string(let word) = n.value, word == "clear" {
                    r.screen = RedFlagScreen.allClear
                    continue
                }
                guard case .object = n.value else {
                    problem("screen", n, "\"clear\" (no red flag applies) or an object of question id → true/false")
                    continue
                }
                // Ids are checked with the other fields, by validate(against:).
                let (answers, screenProblems) = RedFlagScreen.answers(n, field: "screen", checkingIDs: false)
                problems += screenProblems
                r.screen = answers
            case .timeLimit: if let x = number("time_limit", n) { r.timeLimit = x }
            case .maxExercises:
                if let x = number("max_exercises", n) {
                    if x == x.rounded(), abs(x) <= 1e9 { r.maxExercises = Int(x) } else { problem("max_exercises", n, Limits.maxExercises.expected) }
                }
            case .explain:
                if case .bool(let b) = n.value { r.explain = b } else { problem("explain", n, "true or false") }
            case .minimums:
                guard case .object(let pairs) = n.value else { problem("minimums", n, "an object of cause → points, e.g. {\"trigger\": 16}"); continue }
                for p in pairs { if let x = number("minimums.\(p.key)", p.value) { r.minimums[p.key] = x } }
            case .focus:
                guard case .object(let pairs) = n.value else { problem("focus", n, "an object of focus id → exercises, e.g. {\"hip-flexors\": 1}"); continue }
                for p in pairs {
                    guard let x = number("focus.\(p.key)", p.value) else { continue }
                    if Limits.focus.contains(x) { r.focus[p.key] = Int(x) } else { problem("focus.\(p.key)", p.value, Limits.focus.expected) }
                }
            case .conditions: r.conditions = Set(strings("conditions", n).map { $0.lowercased() })
            case .exclude: r.excluded = Set(strings("exclude", n))
            case .include: r.included = Set(strings("include", n))
            case .equipment:
                r.equipment = equipment(named: strings("equipment", n))
            }
        }
        return (r, RequestProblem.capped(problems))
    }

    /// The one reader of a plan request written as JSON (a profile, a batch line, an HTTP body,
    /// a programme file's request): ``decode(_:extraKeys:explainByDefault:)``, then, when every
    /// type is right and `otherProblems` (the caller's own keys, read beside the request) is
    /// empty, ``validate(against:)`` with each problem placed in the text. Every problem is
    /// typed (field, value, expected, place); the caller only chooses how to show them.
    public static func read(_ node: JSONNode, extraKeys: Set<String> = [], explainByDefault: Bool = true,
                            otherProblems: [RequestProblem] = [], catalogue: Catalogue) -> (PlanRequest, [RequestProblem]) {
        let (request, decodeProblems) = decode(node, extraKeys: extraKeys, explainByDefault: explainByDefault)
        let problems = decodeProblems + otherProblems
        guard problems.isEmpty else { return (request, problems) }
        return (request, locate(request.validate(against: catalogue), in: node))
    }

    /// The equipment a list names, read one way wherever the list comes from (a JSON array,
    /// `--equipment`'s comma-separated items): lower case; "any" anywhere means any equipment
    /// (nil), "none" names nothing.
    public static func equipment(named items: [String]) -> Set<String>? {
        let lowered = items.map { $0.lowercased() }
        return lowered.contains("any") ? nil : Set(lowered.filter { $0 != "none" })
    }

    /// Gives each problem the line and column of its field's value in `node` (an object as
    /// ``decode(_:extraKeys:explainByDefault:)`` read it).
    public static func locate(_ problems: [RequestProblem], in node: JSONNode) -> [RequestProblem] {
        let problems = RequestProblem.capped(problems)
        guard case .object(let members) = node.value else { return problems }
        return problems.map { p in
            guard p.line == nil else { return p }
            let top = String(p.field.prefix { $0 != "." && $0 != "[" })
            guard let member = members.first(where: { $0.key == top }) else { return p }
            var place = member.value
            // The problem is about a key (an unknown cause), not its value: show the key.
            var aboutKey = false
            // minimums.trigger → the value of "trigger"; conditions/exclude/equipment → the item.
            if case .object(let inner) = member.value.value, let dot = p.field.firstIndex(of: ".") {
                let sub = String(p.field[p.field.index(after: dot)...])
                if let v = inner.first(where: { $0.key == sub })?.value { place = v }
            } else if case .object(let inner) = member.value.value, let v = p.value,
                      let hit = inner.first(where: { "\"\($0.key)\"" == v }) {
                place = hit.value
                aboutKey = true
            } else if case .array(let items) = member.value.value, let v = p.value,
                      let hit = items.first(where: { $0.shown.lowercased() == v.lowercased() }) {
                place = hit
            }
            // The value as written in the text (1e308, not 1e+308).
            let shown: String? = if case .number = place.value, !aboutKey { place.shown } else { p.value }
            var located = RequestProblem(field: p.field, value: shown, expected: p.expected)
            located.suggestion = p.suggestion
            located.line = place.line
            located.column = place.column
            return located
        }
    }
}

/// A named example person, stored as JSON in `data/profiles/`: `name`, `description`, and
/// any request key (`minutes`, `conditions`, `equipment`, `exclude`, `minimums`,
/// `max_share`, `max_exercises`, `time_limit`, `explain`).
public struct Profile: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The request this profile stands for.
    public var request: PlanRequest

    /// Reads a profile and checks it against the catalogue; every problem is reported as
    /// `file:line:column`.
    public static func load(path: String, catalogue: Catalogue) throws -> Profile {
        return try parse(bytes: readInputFile(path), file: path, catalogue: catalogue)
    }

    /// Parses a profile's text; `file` names it in messages.
    public static func parse(bytes: [UInt8], file: String, catalogue: Catalogue) throws -> Profile {
        let node = try JSONNode.parse(bytes: bytes, file: file)
        var problems: [RequestProblem] = []
        if case .object(let members) = node.value, let p = members.first(where: { $0.key == "programme" })?.value {
            // Checked here too, so `relief plan --profile` refuses what `relief programme` would.
            problems += ProgrammeSettings.decode(p, over: ProgrammeSettings(start: CalendarDate(ordinal: 0))).1
        }
        var name: String?, description: String?
        if case .object(let members) = node.value {
            for m in members where m.key == "name" || m.key == "description" {
                if case .string(let s) = m.value.value {
                    if m.key == "name" { name = s } else { description = s }
                } else if case .null = m.value.value, m.key == "description" {
                } else {
                    problems.append(RequestProblem(field: m.key, value: m.value.shown, expected: "a string",
                                                   line: m.value.line, column: m.value.column))
                }
            }
            if !members.contains(where: { $0.key == "name" }) {
                problems.append(RequestProblem(field: "name", value: nil, expected: "missing key \"name\" (the profile's name)",
                                               line: node.line, column: node.column))
            }
        }
        let (request, requestProblems) = PlanRequest.read(node, extraKeys: ["name", "description", "programme"],
                                                          otherProblems: problems, catalogue: catalogue)
        if !requestProblems.isEmpty { throw requestProblems.inFile(file) }
        return Profile(name: name ?? "", description: description, request: request)
    }
}

extension [RequestProblem] {
    /// The problems of a request read from a file, as that file's data issues (`file:line:column`).
    public func inFile(_ file: String) -> DataErrors {
        DataErrors(map { DataIssue(file: file, line: $0.line, column: $0.column, $0.message) })
    }
}
