import ArgumentParser
import Foundation
import Relief

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

    @Option(help: ArgumentHelp("The smallest budget, in minutes.", valueName: "a")) var from: Double = 5
    @Option(help: ArgumentHelp("The largest budget, in minutes.", valueName: "b")) var to: Double = 30
    @Option(help: ArgumentHelp("The step between budgets, in minutes.", valueName: "s")) var step: Double = 1
    @Option(help: ArgumentHelp("Also write the chart as SVG to this file.", valueName: "file")) var chart: String?
    @Flag(help: "Print the table as Markdown.") var markdown = false
    @OptionGroup var routine: RoutineOptions

    func validate() throws {
        guard from.isFinite, to.isFinite, step.isFinite, from > 0, to >= from, step > 0 else {
            throw ValidationError("need 0 < --from ≤ --to and --step > 0, got --from \(from) --to \(to) --step \(step)")
        }
        if (to - from) / step > 1000 { throw ValidationError("at most 1,000 budgets: make --step larger") }
    }

    func run() throws {
        let points = try reportingErrors {
            let (catalogue, request) = try routine.load(minutes: nil)
            let budgets = stride(from: from, through: to + 1e-9, by: step).map { ($0 * 1000).rounded() / 1000 }
            let isTerminal = isatty(2) != 0
            return try Planner(catalogue: catalogue).frontier(request, minutes: budgets) { done, total in
                if isTerminal { printError("\rsolving budget \(done) of \(total)…", terminator: done == total ? "\r\u{1B}[K" : "") }
            }
        }
        print(frontierTable(points, markdown: markdown), terminator: "")
        if let chart {
            do {
                try writeAtomically(frontierSVG(points), to: chart)
            } catch {
                printError("error: could not write the chart to \(chart): \(error)")
                throw ExitCode.failure
            }
            printError("chart written to \(chart)")
        }
    }
}
