import ArgumentParser
import Foundation
import Relief
import ReliefFormats

@main
struct ReliefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relief",
        abstract: "A short routine of gentle back exercises, planned for the time you have.",
        discussion: """
        Most back pain is not a sign of damage: moving is safe, soreness after exercise is not \
        harm, and the pain usually settles. Relief plans a routine of stretching, mobilising and \
        strengthening exercises in the time you give it. It plans for three areas (muscle \
        imbalance, joint imbalance, trigger points), a premise of its model that has not been \
        validated, not a diagnosis; a solver (GLPK) finds the shortest routine that gives each \
        area its full amount, with no single exercise doing more than its share. When your time \
        is shorter than that, you get a partial routine that fits it.

        Start with:  relief screen --out screen.json
                     relief plan --minutes 15 --screen screen.json
                     relief programme --minutes 15 --screen screen.json

        \(medicalDisclaimer)

        EXIT STATUS
          0   a routine: the full amount of each area, or a partial routine that fits your time
              (status "partial"; the output says what more time would give); or the command's work done
          3   over budget: nothing usable fits in the time given (no routine; the output says how
              much time the full routine needs)
          4   uncoverable: a cause cannot be covered with the exercises left
          5   no routine found: the time limit ran out, or GLPK failed on every setting tried
          6   red flag: the screen found a sign that needs a doctor; nothing is planned
          7   relief tune --clinic --out: the fit does not beat the current weights out of sample;
              nothing is written
          64  bad command-line usage (a flag's value, a request's field)
          65  bad data in a file (every problem is listed with file:line:column)
          66  an input file cannot be read
          69  relief serve: the relief-serve program is not built (run `make serve`)
          70  internal error (please report it)
          73  an output file cannot be created (its folder is missing or not writable)
          74  an output write failed (full disk, closed pipe)
          130, 143  interrupted by SIGINT or SIGTERM (output stops after a whole line)
        """,
        version: "0.1.0",
        subcommands: [ScreenCommand.self, PlanCommand.self, ProgrammeCommand.self, LogCommand.self, FrontierCommand.self, CatalogueCommand.self, TuneCommand.self, OutcomesCommand.self, BatchCommand.self, ServeCommand.self],
        defaultSubcommand: nil
    )

    /// ArgumentParser's own main, except that no error ends the process with an
    /// undocumented status: anything not already mapped is an internal error (70).
    static func main() {
        // A closed pipe (`relief batch | head`) is a failed write, exit 74 with a message,
        // not death by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        reportDiagnostics()
        var command: ParsableCommand
        do { command = try parseAsRoot(try LogCommand.reordered(Array(CommandLine.arguments.dropFirst()))) } catch {
            exit(withError: error)   // usage: 64, --help: 0
        }
        do {
            try command.run()
        } catch let error as OutputError {
            printError("error: \(error)")
            exit(withError: error.kind == .cannotCreate ? Exit.cannotCreate : Exit.ioError)
        } catch let error where error is ExitCode || error is ValidationError || error is CleanExit
                    || exitCode(for: error) != .failure || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // ArgumentParser's own (help, usage): its messages and codes (0 or 64).
            exit(withError: error)
        } catch {
            printError("error: internal error: \(error); please report it")
            exit(withError: Exit.software)
        }
    }
}

/// Exit codes, documented in `relief --help` and the README.
enum Exit {
    static let overBudget = ExitCode(3)
    static let uncoverable = ExitCode(4)
    static let noSolution = ExitCode(5)
    static let redFlag = ExitCode(6)
    static let badData = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)
}

/// The library's diagnostics as the environment asks (RELIEF_DEBUG, RELIEF_TRACE, RELIEF_PROFILE,
/// RELIEF_DEBUG_LP; benchmarks/README.md), to standard error, with the stage timings at exit.
func reportDiagnostics() {
    Diagnostics.configure(Diagnostics.Settings(environment: ProcessInfo.processInfo.environment) { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    })
    atexit {
        let report = Diagnostics.stageReport()
        if !report.isEmpty { FileHandle.standardError.write(Data(report.utf8)) }
    }
}
