import ArgumentParser
import Relief

@main
struct ReliefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relief",
        abstract: "The shortest back-exercise routine that covers every cause of back pain in your time.",
        discussion: """
        Relief treats back pain as three causes that feed each other (muscle imbalance, joint \
        imbalance, trigger points) and solves a mixed-integer programme with GLPK for the \
        shortest routine that gives each cause its minimum coverage, with no single exercise \
        doing more than its share.

        Start with:  relief plan --minutes 15

        \(medicalDisclaimer)

        EXIT STATUS
          0   a routine that meets the request
          3   over budget: the budget is too short (the best routine within it is shown)
          4   uncoverable: a cause cannot be covered with the exercises left
          5   no routine found within --time-limit
          64  bad command-line usage
          65  bad data in a file (every problem is listed with file:line:column)
        """,
        version: "0.1.0",
        subcommands: [PlanCommand.self, FrontierCommand.self, CatalogueCommand.self, TuneCommand.self, OutcomesCommand.self, BatchCommand.self],
        defaultSubcommand: nil
    )
}

/// Exit codes, documented in `relief --help` and the README.
enum Exit {
    static let overBudget = ExitCode(3)
    static let uncoverable = ExitCode(4)
    static let noSolution = ExitCode(5)
    static let badData = ExitCode(65)
}
