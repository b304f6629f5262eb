/// Reads an `outcome` or `startback` line of the programme log (README, "The programme log"):
///
///     {"date":"2026-12-01","kind":"outcome","nprs":6,"rmdq":[1,0,…24 items],"odi":[2,1,null,…10],"psfs":[{"activity":"bending","score":4}],"pgic":"much-improved"}
///     {"date":"2026-12-01","kind":"startback","answers":[1,0,1,0,0,1,1,0,3]}
///
/// Every problem names the measure, the item and the value, at the value's column.
enum OutcomeLine {
    struct Problem {
        let measure: MeasureProblem
        let line: Int?
        let column: Int?
        var message: String { measure.description }

        /// The problem as the HTTP API reports one: the measure (and its item) as the field.
        var request: RequestProblem {
            RequestProblem(field: measure.item.map { "\(measure.field)[\($0)]" } ?? measure.field, value: measure.value,
                           expected: measure.expected, line: line, column: column)
        }
    }

    static func read(_ values: [String: JSONNode]) -> (OutcomeAnswers?, [Problem]) {
        var a = OutcomeAnswers()
        var problems: [Problem] = []
        func bad(_ node: JSONNode, _ p: MeasureProblem) { problems.append(Problem(measure: p, line: node.line, column: node.column)) }
        func number(_ n: JSONNode) -> Double? { if case .number(let x, _) = n.value { return x }; return nil }
        if let n = values["nprs"] {
            if let x = number(n) { a.nprs = x } else { bad(n, MeasureProblem(field: "nprs", item: nil, value: n.shown, expected: "a whole number from 0 to 10")) }
        }
        if let n = values["rmdq"] {
            if case .array(let items) = n.value {
                var out: [Bool] = []
                for (k, item) in items.enumerated() {
                    switch item.value {
                    case .number(0, _), .bool(false): out.append(false)
                    case .number(1, _), .bool(true): out.append(true)
                    default:
                        bad(item, MeasureProblem(field: "rmdq", item: k + 1, value: item.shown, expected: "0 (no) or 1 (yes)"))
                        out.append(false)
                    }
                }
                a.rmdq = out
            } else { bad(n, MeasureProblem(field: "rmdq", item: nil, value: n.shown, expected: "a list of 24 answers, 0 (no) or 1 (yes)")) }
        }
        if let n = values["odi"] {
            if case .array(let items) = n.value {
                var out: [Int?] = []
                for (k, item) in items.enumerated() {
                    if case .null = item.value { out.append(nil); continue }
                    guard let x = number(item), x.rounded() == x, (0...5).contains(x) else {
                        bad(item, MeasureProblem(field: "odi", item: k + 1, value: item.shown, expected: "a section score from 0 to 5, or null for a section skipped"))
                        out.append(0)
                        continue
                    }
                    out.append(Int(x))
                }
                a.odi = out
            } else { bad(n, MeasureProblem(field: "odi", item: nil, value: n.shown, expected: "a list of 10 section scores, 0-5 or null")) }
        }
        if let n = values["psfs"] {
            if case .array(let items) = n.value {
                var out: [PSFSActivity] = []
                for (k, item) in items.enumerated() {
                    guard case .object(let members) = item.value,
                          case .string(let name)? = members.first(where: { $0.key == "activity" })?.value.value,
                          let scoreNode = members.first(where: { $0.key == "score" })?.value, let score = number(scoreNode),
                          members.count == 2 else {
                        bad(item, MeasureProblem(field: "psfs", item: k + 1, value: item.shown, expected: "{\"activity\": \"bending\", \"score\": 0-10}"))
                        continue
                    }
                    out.append(PSFSActivity(activity: name, score: score))
                }
                a.psfs = out
            } else { bad(n, MeasureProblem(field: "psfs", item: nil, value: n.shown, expected: "a list of 1-5 activities {\"activity\": ..., \"score\": 0-10}")) }
        }
        if let n = values["pgic"] {
            if case .string(let s) = n.value, let p = PGICAnswer(key: s) { a.pgic = p }
            else { bad(n, MeasureProblem(field: "pgic", item: nil, value: n.shown, expected: "one of \(PGICAnswer.allCases.map(\.key).joined(separator: ", "))")) }
        }
        if !problems.isEmpty { return (nil, problems) }
        // Range and count checks, at the key of the measure (or its item's column).
        for p in a.problems() {
            let node = values[p.field]
            var at = node
            if let item = p.item, case .array(let items)? = node?.value, item - 1 < items.count { at = items[item - 1] }
            problems.append(Problem(measure: p, line: at?.line, column: at?.column))
        }
        return problems.isEmpty ? (a, []) : (nil, problems)
    }

    static func startBack(_ node: JSONNode?) -> Result<StartBack, ProblemBox> {
        switch startBackAnswers(node, field: "answers") {
        case .success(let s): return .success(s)
        case .failure(let p): return .failure(ProblemBox(message: p.problems.map { $0.request.field == "answers" ? $0.request.message : $0.message }.joined(separator: "; ")))
        }
    }

    /// The nine answers of `node`, each problem at its item.
    struct Problems: Error { let problems: [Problem] }

    static func startBackAnswers(_ node: JSONNode?, field: String) -> Result<StartBack, Problems> {
        guard let node, case .array(let items) = node.value else {
            return .failure(Problems(problems: [Problem(measure: MeasureProblem(field: field, item: nil, value: node?.shown ?? "nothing",
                                                             expected: "a list of the 9 STarT Back answers (items 1-8 0 or 1, item 9 0-4)"),
                                     line: node?.line, column: node?.column)]))
        }
        var answers: [Int] = []
        for (k, item) in items.enumerated() {
            guard case .number(let x, _) = item.value, x.rounded() == x, abs(x) < 1_000 else {
                return .failure(Problems(problems: [Problem(measure: MeasureProblem(field: "startback", item: k + 1, value: item.shown, expected: k < 8 ? "0 (disagree) or 1 (agree)" : "0-4"),
                                                            line: item.line, column: item.column)]))
            }
            answers.append(Int(x))
        }
        switch StartBack.read(answers) {
        case .success(let s): return .success(s)
        case .failure(let e):
            return .failure(Problems(problems: e.problems.map { p in
                let at = p.item.flatMap { $0 - 1 < items.count ? items[$0 - 1] : nil } ?? node
                return Problem(measure: p, line: at.line, column: at.column)
            }))
        }
    }

    struct ProblemBox: Error { let message: String }
}

/// The outcome answers and the STarT Back screen from a JSON object, as the HTTP API reads
/// them (the same members as the programme log's `outcome` and `startback` lines). Each
/// problem names the measure and its item (`rmdq[3]`), the value, what was expected, and its
/// line and column in the body.
public enum OutcomeReader {
    /// The members `nprs`, `rmdq`, `odi`, `psfs`, `pgic` of `values` (absent ones not asked).
    public static func answers(_ values: [String: JSONNode]) -> (OutcomeAnswers?, [RequestProblem]) {
        let (a, problems) = OutcomeLine.read(values)
        return (a, problems.map { $0.request })
    }

    /// Nine STarT Back answers: items 1-8 0 or 1, item 9 0-4.
    public static func startBack(_ node: JSONNode?, field: String) -> Result<StartBack, RequestError> {
        OutcomeLine.startBackAnswers(node, field: field).mapError { RequestError(problems: $0.problems.map { $0.request }) }
    }
}
