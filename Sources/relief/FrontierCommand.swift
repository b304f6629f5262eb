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
        whose weakest cause is covered best.
        """
    )

    @Option(help: ArgumentHelp("The smallest budget, in minutes.", valueName: "a"), transform: decimalFlag) var from: Double = 5
    @Option(help: ArgumentHelp("The largest budget, in minutes.", valueName: "b"), transform: decimalFlag) var to: Double = 30
    @Option(help: ArgumentHelp("The step between budgets, in minutes.", valueName: "s"), transform: decimalFlag) var step: Double = 1
    @Option(help: ArgumentHelp("Also write the chart as SVG to this file.", valueName: "file")) var chart: String?
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @OptionGroup var routine: RoutineOptions

    func validate() throws {
        for (flag, value) in [("--from", from), ("--to", to)] where !Limits.minutes.contains(value) {
            throw ValidationError("\(flag) must be \(Limits.minutes.expected) (minutes), got \(value)")
        }
        if !Limits.frontierStep.contains(step) { throw ValidationError("--step must be \(Limits.frontierStep.expected), got \(step)") }
        if to < from { throw ValidationError("--to must be at least --from, got --from \(from) --to \(to)") }
        let count = frontierBudgets(from: from, to: to, step: step).count
        if count > Limits.frontierBudgets {
            throw ValidationError("at most \(Limits.frontierBudgets) budgets, got \(count) from --from \(format(from)) to --to \(format(to)) by --step \(format(step)): make --step larger")
        }
    }

    func run() throws {
        let points = try reportingErrors {
            if let chart { try checkWritable(chart) }
            let (catalogue, request) = try routine.load(minutes: nil)
            let budgets = frontierBudgets(from: from, to: to, step: step)
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
