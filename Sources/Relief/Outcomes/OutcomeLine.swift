/// Reads an `outcome` or `startback` line of the programme log (README, "The programme log"):
///
///     {"date":"2026-12-01","kind":"outcome","nprs":6,"rmdq":[1,0,…24 items],"odi":[2,1,null,…10],"psfs":[{"activity":"bending","score":4}],"pgic":"much-improved"}
///     {"date":"2026-12-01","kind":"startback","answers":[1,0,1,0,0,1,1,0,3]}
///
/// Every problem names the measure, the item and the value, at the value's column.
enum OutcomeLine {
    struct Problem {
        let column: Int?
        let message: String
    }

    static func read(_ values: [String: JSONNode]) -> (OutcomeAnswers?, [Problem]) {
        var a = OutcomeAnswers()
        var problems: [Problem] = []
        func bad(_ node: JSONNode, _ p: MeasureProblem) { problems.append(Problem(column: node.column, message: p.description)) }
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
            var column = node?.column
            if let item = p.item, case .array(let items)? = node?.value, item - 1 < items.count { column = items[item - 1].column }
            problems.append(Problem(column: column, message: p.description))
        }
        return problems.isEmpty ? (a, []) : (nil, problems)
    }

    static func startBack(_ node: JSONNode?) -> Result<StartBack, ProblemBox> {
        guard let node, case .array(let items) = node.value else {
            return .failure(ProblemBox(message: "answers must be a list of the 9 STarT Back answers (items 1-8 0 or 1, item 9 0-4), got \(node?.shown ?? "nothing")"))
        }
        var answers: [Int] = []
        for (k, item) in items.enumerated() {
            guard case .number(let x, _) = item.value, x.rounded() == x, abs(x) < 1_000 else {
                return .failure(ProblemBox(message: MeasureProblem(field: "startback", item: k + 1, value: item.shown, expected: k < 8 ? "0 (disagree) or 1 (agree)" : "0-4").description))
            }
            answers.append(Int(x))
        }
        switch StartBack.read(answers) {
        case .success(let s): return .success(s)
        case .failure(let e): return .failure(ProblemBox(message: e.description))
        }
    }

    struct ProblemBox: Error { let message: String }
}
