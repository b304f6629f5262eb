/// The budgets of a frontier: from `from` to `to` minutes by `step`, read and checked here once
/// for the command line and the API, which only choose how to show the problems and how many
/// budgets they allow (``Limits/frontierBudgets`` on the command line; a server allows fewer).
public struct FrontierRange: Sendable, Hashable {
    public var from = 5.0, to = 30.0, step = 1.0

    /// The keys a request's JSON gives them under.
    public static let keys: Set<String> = ["from", "to", "step"]

    public init(from: Double = 5, to: Double = 30, step: Double = 1) {
        self.from = from
        self.to = to
        self.step = step
    }

    /// The budgets in minutes (``frontierBudgets(from:to:step:)``).
    public var budgets: [Double] { frontierBudgets(from: from, to: to, step: step) }

    /// What is wrong with the range, each problem naming its field: `from` and `to` within
    /// ``Limits/minutes``, `step` within ``Limits/frontierStep``, `to` at least `from`, and at
    /// most `maxBudgets` budgets.
    public func problems(maxBudgets: Int) -> [RequestProblem] {
        var out: [RequestProblem] = []
        for (field, value) in [("from", from), ("to", to)] where !Limits.minutes.contains(value) {
            out.append(RequestProblem(field: field, value: readable(value), expected: Limits.minutes.expected + " (minutes)"))
        }
        if !Limits.frontierStep.contains(step) {
            out.append(RequestProblem(field: "step", value: readable(step), expected: Limits.frontierStep.expected))
        }
        guard out.isEmpty else { return out }
        if to < from {
            out.append(RequestProblem(field: "to", value: format(to), expected: "at least the smallest budget (\(format(from)))"))
        } else if budgets.count > maxBudgets {
            out.append(RequestProblem(field: "step", value: format(step),
                                      expected: "large enough for at most \(maxBudgets) budgets from \(format(from)) to \(format(to))"))
        }
        return out
    }

    /// The range a JSON object gives (its other keys are not looked at), with every problem
    /// placed at its value.
    public static func read(_ node: JSONNode, maxBudgets: Int) -> (FrontierRange, [RequestProblem]) {
        var r = FrontierRange()
        var problems: [RequestProblem] = []
        guard case .object(let members) = node.value else { return (r, problems) }
        for m in members where keys.contains(m.key) {
            guard case .number(let x, _) = m.value.value else {
                problems.append(RequestProblem(field: m.key, value: m.value.shown, expected: "a number of minutes",
                                               line: m.value.line, column: m.value.column))
                continue
            }
            switch m.key {
            case "from": r.from = x
            case "to": r.to = x
            default: r.step = x
            }
        }
        guard problems.isEmpty else { return (r, problems) }
        return (r, PlanRequest.locate(r.problems(maxBudgets: maxBudgets), in: node))
    }
}
