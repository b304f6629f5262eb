import ArgumentParser
import Foundation
import Relief
import ReliefFormats

struct FrontierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "For budgets from A to B minutes: the best coverage you can get and the routine's size.",
        discussion: """
        Example:
          relief frontier --from 5 --to 30 --chart frontier.svg

        "Weakest cause covered" is the smallest achieved/minimum over the causes (100%: every \
        cause gets its minimum). Below the shortest full routine, each budget shows the routine \
        whose weakest cause is covered best. Status: optimal (the shortest full routine, proven \
        by GLPK), feasible (full, not proven shortest), partial (fits the budget with part of \
        each minimum), over_budget (nothing usable fits in that budget).
        """
    )

    @Option(help: ArgumentHelp("The smallest budget, in minutes.", valueName: "a"), transform: decimalFlag) var from: Double = 5
    @Option(help: ArgumentHelp("The largest budget, in minutes.", valueName: "b"), transform: decimalFlag) var to: Double = 30
    @Option(help: ArgumentHelp("The step between budgets, in minutes.", valueName: "s"), transform: decimalFlag) var step: Double = 1
    @Option(help: ArgumentHelp("Also write the chart as SVG to this file.", valueName: "file")) var chart: String?
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @OptionGroup var routine: RoutineOptions

    var range: FrontierRange { FrontierRange(from: from, to: to, step: step) }

    func validate() throws {
        if let p = range.problems(maxBudgets: Limits.frontierBudgets).first { throw ValidationError(p.message(naming: "--" + p.field)) }
    }

    func run() throws {
        let points = try reportingErrors {
            if let chart { try checkWritable(chart) }
            let (catalogue, request) = try routine.load(minutes: nil)
            let budgets = range.budgets
            let isTerminal = isatty(2) != 0
            return try routine.planner(catalogue).frontier(request, minutes: budgets) { done, total in
                if isTerminal { printError("\rsolving budget \(done) of \(total)…", terminator: done == total ? "\r\u{1B}[K" : "") }
            }
        }
        try reportingErrors {
            if let chart { try writeAtomically(frontierSVG(points), to: chart) }
            try emit(frontierTable(points, markdown: markdown))
        }
        if let chart { printError("chart written to \(chart)") }
    }
}
