import Relief
import ReliefClinic
import ReliefServer

/// Reads one JSON object of a request body: known keys only, each of the type expected, every
/// problem collected with its field, value, line and column (the API's one error shape).
struct BodyReader {
    private(set) var problems: [RequestProblem] = []
    private var members: [String: JSONNode] = [:]

    /// `keys`: the object's keys; `required`: those that must be present.
    init(_ node: JSONNode, keys: [String], required: Set<String> = [], example: String) {
        guard case .object(let list) = node.value else {
            problems.append(RequestProblem(field: "body", value: node.shown, expected: "an object \(example)", line: node.line, column: node.column))
            return
        }
        for m in list {
            if keys.contains(m.key) {
                members[m.key] = m.value
            } else {
                problems.append(RequestProblem(field: m.key, value: nil, expected: "unknown key; expected \(keys.joined(separator: ", "))",
                                               line: m.value.line, column: m.value.column))
            }
        }
        for key in keys where required.contains(key) && members[key] == nil {
            problems.append(RequestProblem(field: key, value: nil, expected: "missing key \"\(key)\"", line: node.line, column: node.column))
        }
    }

    func node(_ key: String) -> JSONNode? { members[key] }

    /// The object's known members, by key.
    var given: [String: JSONNode] { members }

    /// `day`: a date not after today, today when absent.
    mutating func day(today: CalendarDate) -> CalendarDate {
        guard let text = string("day", maxLength: 10), let n = node("day") else { return today }
        if let d = CalendarDate(text), d <= today { return d }
        problem("day", n, "\(CalendarDate.expected), not after today (\(today))")
        return today
    }

    mutating func problem(_ field: String, _ node: JSONNode, _ expected: String) {
        problems.append(RequestProblem(field: field, value: node.shown, expected: expected, line: node.line, column: node.column))
    }

    mutating func add(_ more: [RequestProblem]) { problems += more }

    mutating func string(_ key: String, maxLength: Int = 4_000) -> String? {
        guard let n = members[key] else { return nil }
        guard case .string(let s) = n.value else { problem(key, n, "a string"); return nil }
        guard s.count <= maxLength else { problem(key, n, "a string of at most \(maxLength) characters"); return nil }
        return s
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let n = members[key] else { return nil }
        guard case .bool(let b) = n.value else { problem(key, n, "true or false"); return nil }
        return b
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let n = members[key] else { return nil }
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let x, _) = n.value, x.rounded() == x, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            problem(key, n, expected)
            return nil
        }
        return Int(x)
    }

    /// An array of strings; `field[i]` names a bad element.
    mutating func strings(_ key: String) -> [String]? {
        guard let n = members[key] else { return nil }
        guard case .array(let items) = n.value else { problem(key, n, "an array of strings"); return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            if case .string(let s) = item.value { out.append(s) } else { problem("\(key)[\(i)]", item, "a string") }
        }
        return out
    }

    func failIfProblems() throws {
        if !problems.isEmpty { throw APIFailure(problems: RequestProblem.capped(problems)) }
    }
}

extension FieldProblem {
    var requestProblem: RequestProblem { RequestProblem(field: field, value: "\"\(value)\"", expected: expected) }
}

/// The request bodies of the clinic's routes, each read and checked once.
enum ClinicBodies {
    struct SignIn { var email: String; var password: String }

    static func signIn(_ node: JSONNode) throws -> SignIn {
        var r = BodyReader(node, keys: ["email", "password"], required: ["email", "password"],
                           example: #"{"email": "...", "password": "..."}"#)
        let email = r.string("email", maxLength: 320), password = r.string("password", maxLength: 1_000)
        try r.failIfProblems()
        return SignIn(email: email ?? "", password: password ?? "")
    }

    /// A patient as the clinician describes them: checked against the catalogue's conditions
    /// and equipment and the red-flag screen's questions, as `/v1/plan` checks a request.
    static func patient(_ node: JSONNode, catalogue: Catalogue) throws -> PatientDetails {
        var r = BodyReader(node, keys: ["reference", "conditions", "equipment", "screen_answers", "usual_pain"],
                           required: ["reference", "usual_pain"],
                           example: #"{"reference": "P-1", "conditions": [...], "equipment": [...], "screen_answers": {...}, "usual_pain": 4}"#)
        let reference = r.string("reference", maxLength: 64)
        let pain = r.int("usual_pain", 0...10)
        var conditions: Set<String> = []
        if let list = r.strings("conditions"), let n = r.node("conditions") {
            let known = catalogue.knownConditions
            for c in list.map({ $0.lowercased() }) {
                if known.contains(c) { conditions.insert(c) } else {
                    r.add([unknown("conditions", c, "a known condition", known, n)])
                }
            }
        }
        var equipment: Set<String> = []
        if let list = r.strings("equipment"), let n = r.node("equipment") {
            let known = catalogue.knownEquipment
            for e in list.map({ $0.lowercased() }) {
                if known.contains(e) { equipment.insert(e) } else {
                    r.add([unknown("equipment", e, "equipment the catalogue knows", known, n)])
                }
            }
        }
        var answers: [String: Bool] = [:]
        if let n = r.node("screen_answers") {
            let (read, problems) = RedFlagScreen.answers(n, field: "screen_answers")
            answers = read
            r.add(problems)
        }
        try r.failIfProblems()
        let details = PatientDetails(reference: reference ?? "", conditions: conditions, equipment: equipment,
                                     screenAnswers: answers, usualPain: pain ?? 0)
        let more = details.problems()
        if !more.isEmpty { throw APIFailure(problems: more.map(\.requestProblem)) }
        return details
    }

    /// A patient's log entry: `day` (default today, never after it), `done`, `exercises_done`,
    /// `pain` and `effort` 0-10, and an optional `symptom` from the screen's symptoms, given the
    /// tier the red-flag table gives it for this patient.
    static func log(_ node: JSONNode, patient: Patient, today: CalendarDate) throws -> LogDraft {
        var r = BodyReader(node, keys: ["day", "done", "exercises_done", "pain", "effort", "symptom"], required: ["done"],
                           example: #"{"done": true, "pain": 3, "effort": 5, "symptom": "fever"}"#)
        let day = r.day(today: today)
        let done = r.bool("done")
        let exercises = r.strings("exercises_done") ?? []
        let pain = r.int("pain", 0...10), effort = r.int("effort", 0...10)
        var symptom: LoggedSymptom?
        if let code = r.string("symptom", maxLength: 64), let n = r.node("symptom") {
            if let s = LogEntry.Symptom(rawValue: code) {
                let finding = RedFlagScreen.assess(symptom: s, answers: patient.details.screenAnswers, conditions: patient.details.conditions)
                symptom = LoggedSymptom(symptom: s, tier: finding.urgency)
            } else {
                r.problem("symptom", n, "a symptom, one of \(LogEntry.Symptom.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        try r.failIfProblems()
        let draft = LogDraft(day: day, sessionDone: done ?? false, exercisesDone: exercises, pain: pain, effort: effort, symptom: symptom)
        let more = draft.problems()
        if !more.isEmpty { throw APIFailure(problems: more.map(\.requestProblem)) }
        return draft
    }

    /// A day's outcome answers (any of nprs, rmdq, odi, psfs, pgic, as the programme log's
    /// `outcome` line has them), or a STarT Back screen (`startback`, its nine answers) on its own.
    static func outcome(_ node: JSONNode, today: CalendarDate) throws -> (CalendarDate, OutcomeFact) {
        let measures = ["nprs", "rmdq", "odi", "psfs", "pgic"]
        var r = BodyReader(node, keys: ["day"] + measures + ["startback"],
                           example: #"{"day": "2026-12-01", "nprs": 6, "rmdq": [1, 0, ...24 answers], "pgic": "much-improved"} or {"startback": [1, 0, 1, 0, 0, 1, 1, 0, 3]}"#)
        let day = r.day(today: today)
        var fact: OutcomeFact?
        if let sb = r.node("startback") {
            if measures.contains(where: { r.node($0) != nil }) {
                r.problem("startback", sb, "on its own: a STarT Back screen is a record of its own, so send the measures in another")
            } else {
                switch OutcomeReader.startBack(sb, field: "startback") {
                case .success(let s): fact = .startBack(s)
                case .failure(let e): r.add(e.problems)
                }
            }
        } else if r.problems.isEmpty || !measures.allSatisfy({ r.node($0) == nil }) {
            let (answers, problems) = OutcomeReader.answers(r.given)
            r.add(problems)
            if let answers {
                if answers.isEmpty {
                    r.add([RequestProblem(field: "body", value: nil, expected: "at least one of nprs, rmdq, odi, psfs, pgic, or startback on its own",
                                          line: node.line, column: node.column)])
                } else { fact = .measures(answers) }
            }
        }
        try r.failIfProblems()
        guard let fact else { throw APIFailure(problems: [RequestProblem(field: "body", value: nil, expected: "outcome answers")]) }
        return (day, fact)
    }

    /// A value the catalogue does not know, with the known ones and a "did you mean" when one is near.
    static func unknown(_ field: String, _ given: String, _ what: String, _ known: [String], _ n: JSONNode) -> RequestProblem {
        var p = RequestProblem(field: field, value: "\"\(given)\"", expected: "\(what), one of \(known.joined(separator: ", "))",
                               line: n.line, column: n.column)
        p.suggestion = Suggestion.closest(to: given, among: known)
        return p
    }

    static func linkDays(_ node: JSONNode?, settings: ClinicWebSettings) throws -> Int {
        guard let node else { return settings.defaultLinkDays }
        var r = BodyReader(node, keys: ["expires_in_days"], example: #"{"expires_in_days": 28}"#)
        let days = r.int("expires_in_days", 1...settings.maxLinkDays)
        try r.failIfProblems()
        return days ?? settings.defaultLinkDays
    }

    static func tokenName(_ node: JSONNode?) throws -> String {
        guard let node else { return "api" }
        var r = BodyReader(node, keys: ["name"], example: #"{"name": "reporting script"}"#)
        let name = r.string("name", maxLength: 100)
        try r.failIfProblems()
        return name ?? "api"
    }

    static func note(_ node: JSONNode?) throws -> String {
        guard let node else { return "" }
        var r = BodyReader(node, keys: ["note"], example: #"{"note": "phoned, seen today"}"#)
        let note = r.string("note", maxLength: 2_000)
        try r.failIfProblems()
        return note ?? ""
    }
}

extension ClinicBodies {
    /// The relief phase's sessions a week that a programme can have (``ProgrammeSettings``'
    /// `days`): a prescription of 7 would be refused by the planner, so it is refused here, by name.
    static let prescriptionDays = 1...6

    /// A prescription as the clinician writes it: `weeks` 1-52, `days_per_week` 1-6, `minutes`
    /// 1-240, `minimums` by cause id, `locked` exercises with their units (within the
    /// catalogue's range for that exercise, whole for one counted in sets), `excluded`
    /// exercise ids and `notes`; every id checked against the catalogue as `/v1/plan` checks
    /// a request, with the near one when an id is mistyped.
    static func prescription(_ node: JSONNode, catalogue: Catalogue) throws -> PrescriptionPlan {
        var r = BodyReader(node, keys: ["weeks", "days_per_week", "minutes", "minimums", "locked", "excluded", "notes"],
                           required: ["weeks", "days_per_week", "minutes"],
                           example: #"{"weeks": 6, "days_per_week": 5, "minutes": 15, "locked": [{"exercise": "bird-dog", "units": 2}], "excluded": ["plank"]}"#)
        let weeks = r.int("weeks", 1...52)
        let days = r.int("days_per_week", prescriptionDays)
        let minutes = r.int("minutes", 1...240)
        let notes = r.string("notes", maxLength: 4_000) ?? ""
        let causeIDs = catalogue.causes.map(\.id)
        var minimums: [String: Double] = [:]
        if let n = r.node("minimums") {
            if case .object(let members) = n.value {
                for m in members {
                    if catalogue.causeIndex(m.key) == nil {
                        r.add([unknown("minimums", m.key, "a cause id", causeIDs, m.value)])
                    } else if case .number(let x, _) = m.value.value, x.isFinite, x >= 0, x <= 1_000 {
                        minimums[m.key] = x
                    } else {
                        r.problem("minimums.\(m.key)", m.value, "a number of points from 0 to 1000")
                    }
                }
            } else {
                r.problem("minimums", n, #"an object of cause id to points, e.g. {"muscle": 6}"#)
            }
        }
        let exerciseIDs = catalogue.exercises.map(\.id)
        var excluded: [String] = []
        if let list = r.strings("excluded"), let n = r.node("excluded") {
            for id in list {
                if catalogue.exerciseIndex(id) == nil { r.add([unknown("excluded", id, "an exercise id", exerciseIDs, n)]) }
                else if !excluded.contains(id) { excluded.append(id) }
            }
        }
        var locked: [LockedExercise] = []
        if let n = r.node("locked") {
            if case .array(let items) = n.value {
                for (i, item) in items.enumerated() {
                    guard case .object(let members) = item.value else {
                        r.problem("locked[\(i)]", item, #"an object {"exercise": "bird-dog", "units": 2}"#)
                        continue
                    }
                    var id: String?, units: Double?
                    for m in members {
                        switch m.key {
                        case "exercise":
                            if case .string(let s) = m.value.value { id = s } else { r.problem("locked[\(i)].exercise", m.value, "an exercise id") }
                        case "units":
                            if case .number(let x, _) = m.value.value { units = x } else { r.problem("locked[\(i)].units", m.value, "a number of units") }
                        default:
                            r.problem("locked[\(i)].\(m.key)", m.value, "unknown key; expected exercise, units")
                        }
                    }
                    guard let id, let units else {
                        if !members.contains(where: { $0.key == "exercise" }) { r.problem("locked[\(i)].exercise", item, "missing key \"exercise\"") }
                        if !members.contains(where: { $0.key == "units" }) { r.problem("locked[\(i)].units", item, "missing key \"units\"") }
                        continue
                    }
                    guard let e = catalogue.exerciseIndex(id) else {
                        r.add([unknown("locked[\(i)].exercise", id, "an exercise id", exerciseIDs, item)])
                        continue
                    }
                    let ex = catalogue.exercises[e]
                    let least = max(ex.minUnits, ex.whole ? 1 : 0)
                    if !(units.isFinite && units > 0 && units >= least - 1e-9 && units <= ex.maxUnits + 1e-9) || (ex.whole && units.rounded() != units) {
                        let node = members.first { $0.key == "units" }?.value ?? item
                        r.problem("locked[\(i)].units", node,
                                  "\(ex.whole ? "a whole number of \(ex.unit)s" : "a number of \(ex.unit)s") from \(readable(max(least, ex.whole ? 1 : 0))) to \(readable(ex.maxUnits)) for \(id)")
                        continue
                    }
                    if locked.contains(where: { $0.exercise == id }) {
                        r.problem("locked[\(i)].exercise", item, "each exercise locked once; \(id) is already locked")
                        continue
                    }
                    locked.append(LockedExercise(exercise: id, units: units))
                }
            } else {
                r.problem("locked", n, #"an array of {"exercise": "bird-dog", "units": 2}"#)
            }
        }
        try r.failIfProblems()
        let plan = PrescriptionPlan(weeks: weeks ?? 1, daysPerWeek: days ?? 1, minutes: minutes ?? 1, minimums: minimums,
                                    locked: locked, excluded: excluded, notes: notes)
        let more = plan.problems()
        if !more.isEmpty { throw APIFailure(problems: more.map(\.requestProblem)) }
        return plan
    }
}

/// A number as a person writes it: 2, not 2.0.
func readable(_ x: Double) -> String {
    x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
