import Foundation
import Relief

/// Part 1 of the benchmarks: the same scenarios (profiles × budgets), every strategy, the
/// same catalogue and scoring.
func compare() throws {
    let data = option("--data", "data")
    let outDir = option("--out", "benchmarks/results")
    let budgets: [Double] = [5, 10, 15, 20, 25, 30, 40]
    let catalogue = try Catalogue.load(directory: data)
    let planner = Planner(catalogue: catalogue)
    let profileDir = data + "/profiles"
    let files = try FileManager.default.contentsOfDirectory(atPath: profileDir).filter { $0.hasSuffix(".json") }.sorted()
    var rows: [(profile: String, minutes: Double, outcome: StrategyOutcome, optimum: StrategyOutcome)] = []
    for (k, file) in files.enumerated() {
        let profile = try Profile.load(path: profileDir + "/" + file, catalogue: catalogue)
        log("compare: profile \(k + 1) of \(files.count) (\(profile.name))")
        for minutes in budgets {
            var request = profile.request
            request.budgetSeconds = minutes * 60
            let optimum = try planner.outcome(of: .optimal, for: request)
            for strategy in Strategy.allCases {
                let o = strategy == .optimal ? optimum : try planner.outcome(of: strategy, for: request)
                rows.append((profile.name, minutes, o, optimum))
            }
        }
    }
    let causes = catalogue.causes
    // Per-scenario detail for anyone who wants to look deeper.
    var csv = "profile,budget_minutes,strategy,seconds,exercises,covers_all," + causes.map { "\($0.id)_fraction" }.joined(separator: ",") + ",extra_seconds_over_optimal\n"
    for r in rows {
        let extra = r.outcome.coversAll && r.optimum.coversAll ? String(format: "%.0f", r.outcome.seconds - r.optimum.seconds) : ""
        csv += "\(r.profile),\(Int(r.minutes)),\(r.outcome.strategy.rawValue),\(String(format: "%.0f", r.outcome.seconds)),\(r.outcome.exercises),\(r.outcome.coversAll),"
            + r.outcome.fractions.map { String(format: "%.3f", $0) }.joined(separator: ",") + ",\(extra)\n"
    }
    try writeAtomically(csv, to: outDir + "/compare.csv")

    let scenarios = files.count * budgets.count
    print("\(files.count) profiles × budgets of \(budgets.map { String(Int($0)) }.joined(separator: ", ")) minutes = \(scenarios) scenarios; per-scenario rows in `benchmarks/results/compare.csv`.")
    print("")
    print("| strategy | covers all three causes | " + causes.map { "\($0.name.lowercased()) (mean, capped at 100%)" }.joined(separator: " | ") + " | mean time | extra time over the optimum (both cover all) |")
    print("|---|---:|" + causes.map { _ in "---:|" }.joined() + "---:|---:|")
    var summary: [Strategy: [Double]] = [:]
    for strategy in Strategy.allCases {
        let mine = rows.filter { $0.outcome.strategy == strategy }
        let covered = mine.filter { $0.outcome.coversAll }.count
        let means = causes.indices.map { c in mine.reduce(0) { $0 + min(1, $1.outcome.fractions[c]) } / Double(mine.count) }
        summary[strategy] = means
        let time = mine.reduce(0) { $0 + $1.outcome.seconds } / Double(mine.count)
        let both = mine.filter { $0.outcome.coversAll && $0.optimum.coversAll }
        let extra = both.isEmpty ? "n/a (never covers all)" :
            String(format: "%+.0f s mean, %+.0f s worst (%d scenarios)", both.reduce(0) { $0 + $1.outcome.seconds - $1.optimum.seconds } / Double(both.count),
                   both.map { $0.outcome.seconds - $0.optimum.seconds }.max()!, both.count)
        print("| \(strategy.rawValue) | \(covered) of \(mine.count) | " + means.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: " | ")
              + " | \(String(format: "%.1f", time / 60)) min | \(extra) |")
    }
    // The claims, checked against the numbers above.
    print("")
    let single: [Strategy] = [.onlyStretching, .onlyRelease, .onlyStrengthening, .onlyMobility]
    let singleFull = rows.filter { single.contains($0.outcome.strategy) && $0.outcome.coversAll }.count
    print("- Single techniques cover all three causes in \(singleFull) of \(scenarios * single.count) scenario-technique pairs.")
    let blendFull = rows.filter { $0.outcome.strategy == .optimal && $0.outcome.coversAll }.count
    print("- Relief's blend covers all three in \(blendFull) of \(scenarios) scenarios (the others have budgets below the shortest full routine, or conditions that leave a cause uncoverable).")
    let greedyBoth = rows.filter { $0.outcome.strategy == .greedy && $0.outcome.coversAll && $0.optimum.coversAll }
    let greedyLonger = greedyBoth.filter { $0.outcome.seconds > $0.optimum.seconds + 1e-6 }.count
    let greedyShorter = greedyBoth.filter { $0.outcome.seconds < $0.optimum.seconds - 1e-6 }.count
    print("- Where both cover all three, the greedy blend takes longer than the optimum in \(greedyLonger) of \(greedyBoth.count) scenarios, as long in \(greedyBoth.count - greedyLonger - greedyShorter), and shorter in \(greedyShorter) (which would be a bug: the optimum is proven).")

    try writeAtomically(coverageChart(summary: summary, causes: causes.map(\.name)), to: outDir + "/compare-coverage.svg")
    var timeByBudget: [Strategy: [Double]] = [:]
    for strategy in Strategy.allCases {
        timeByBudget[strategy] = budgets.map { b in
            let mine = rows.filter { $0.outcome.strategy == strategy && $0.minutes == b }
            return mine.reduce(0) { $0 + $1.outcome.seconds } / Double(max(1, mine.count)) / 60
        }
    }
    try writeAtomically(timeChart(budgets: budgets, times: timeByBudget), to: outDir + "/compare-time.svg")
    print("")
    print("Charts: `benchmarks/results/compare-coverage.svg` (mean coverage per cause by strategy), `benchmarks/results/compare-time.svg` (mean time used by budget).")
}

let strategyColours = ["#1f5fae", "#e08a1e", "#7a9a3a", "#b0413e", "#6d4c9a", "#3a9a96", "#8c8c8c"]

func coverageChart(summary: [Strategy: [Double]], causes: [String]) -> String {
    let width = 860.0, height = 420.0, left = 60.0, top = 50.0, plotH = 280.0
    let groupW = (width - left - 200) / Double(causes.count)
    let barW = groupW * 0.8 / Double(Strategy.allCases.count)
    var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
               "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
               "<text x=\"\(Int(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">Mean coverage of each cause (capped at the minimum) by strategy</text>"]
    for f in stride(from: 0.0, through: 1.0, by: 0.25) {
        let y = top + (1 - f) * plotH
        svg.append("<line x1=\"\(left)\" x2=\"\(width - 200)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/><text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Int(f * 100))%</text>")
    }
    for (c, cause) in causes.enumerated() {
        let gx = left + Double(c) * groupW + groupW * 0.1
        for (s, strategy) in Strategy.allCases.enumerated() {
            let v = summary[strategy]?[c] ?? 0
            svg.append("<rect x=\"\(gx + Double(s) * barW)\" y=\"\(top + (1 - v) * plotH)\" width=\"\(barW - 1)\" height=\"\(v * plotH)\" fill=\"\(strategyColours[s])\"/>")
        }
        svg.append("<text x=\"\(gx + groupW * 0.4)\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(cause)</text>")
    }
    for (s, strategy) in Strategy.allCases.enumerated() {
        let y = top + Double(s) * 20
        svg.append("<rect x=\"\(width - 185)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(strategyColours[s])\"/><text x=\"\(width - 168)\" y=\"\(y + 10)\">\(strategy.rawValue)</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
}

func timeChart(budgets: [Double], times: [Strategy: [Double]]) -> String {
    let width = 860.0, height = 420.0, left = 60.0, top = 50.0, plotW = 560.0, plotH = 300.0
    let maxY = max(budgets.max() ?? 1, times.values.flatMap { $0 }.max() ?? 1)
    func x(_ b: Double) -> Double { left + (b - budgets.first!) / (budgets.last! - budgets.first!) * plotW }
    func y(_ m: Double) -> Double { top + (1 - m / maxY) * plotH }
    var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
               "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
               "<text x=\"\(Int(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">Mean time used by budget (dashed: the budget)</text>",
               "<line x1=\"\(x(budgets.first!))\" y1=\"\(y(budgets.first!))\" x2=\"\(x(budgets.last!))\" y2=\"\(y(budgets.last!))\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>"]
    for m in stride(from: 0.0, through: maxY, by: 10) {
        svg.append("<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(y(m))\" y2=\"\(y(m))\" stroke=\"#eee\"/><text x=\"\(left - 6)\" y=\"\(y(m) + 4)\" text-anchor=\"end\">\(Int(m))</text>")
    }
    for b in budgets { svg.append("<text x=\"\(x(b))\" y=\"\(top + plotH + 18)\" text-anchor=\"middle\">\(Int(b))</text>") }
    svg.append("<text x=\"\(left + plotW / 2)\" y=\"\(top + plotH + 38)\" text-anchor=\"middle\">budget (minutes)</text>")
    svg.append("<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">minutes used</text>")
    for (s, strategy) in Strategy.allCases.enumerated() {
        let points = zip(budgets, times[strategy] ?? []).map { "\(x($0)),\(y($1))" }.joined(separator: " ")
        svg.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(strategyColours[s])\" stroke-width=\"2.5\"/>")
        let ly = top + Double(s) * 20
        svg.append("<rect x=\"\(left + plotW + 30)\" y=\"\(ly)\" width=\"12\" height=\"12\" fill=\"\(strategyColours[s])\"/><text x=\"\(left + plotW + 47)\" y=\"\(ly + 10)\">\(strategy.rawValue)</text>")
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
}
