import ArgumentParser
import Foundation
import Relief

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Plan many routines: JSON Lines of requests in, JSON Lines of plans out, in order.",
        discussion: """
        Each input line is a JSON object with any of: minutes, minimums (cause → points), \
        max_share, max_exercises, conditions, exclude, equipment, time_limit, explain (default \
        false here: explanations cost extra solves). Each output line is the plan as \
        `relief plan --format json` would print it for the same request, on one line; a bad \
        line gives {"error": "...", "line": N} and the batch goes on. The catalogue's models \
        are built once per worker thread and re-solved per request.

        Example:
          printf '{"minutes": 15}\\n{"minutes": 8, "conditions": ["flexion-intolerant"]}\\n' | relief batch
        """
    )

    @Option(help: ArgumentHelp("Read requests from this file instead of standard input.", valueName: "file")) var input: String?
    @Option(help: ArgumentHelp("Write plans to this file (atomically) instead of standard output.", valueName: "file")) var output: String?
    @Option(help: ArgumentHelp("Worker threads (default: one per core).", valueName: "n")) var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("The catalogue folder.", valueName: "dir")) var data: String?
    @Option(help: ArgumentHelp("A CSV of exercise_id,cause,points overriding the catalogue's weights.", valueName: "file")) var weights: String?

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var options = try RoutineOptions.parse([])
        options.data = data
        options.weights = weights
        let (catalogue, _) = try reportingErrors { try options.load(minutes: nil) }
        let text: String
        if let input {
            guard let contents = try? String(contentsOfFile: input, encoding: .utf8) else {
                printError("error: \(input): cannot be read")
                throw Exit.badData
            }
            text = contents
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let batch = BatchPlanner(planner: Planner(catalogue: catalogue), threads: threads)
        let showProgress = isatty(2) != 0 && lines.count > 2_000
        var out: [String] = []
        out.reserveCapacity(lines.count)
        let chunk = 1_000
        for start in stride(from: 0, to: lines.count, by: chunk) {
            let part = Array(lines[start..<min(lines.count, start + chunk)])
            let answers = batch.run(lines: part, firstLine: start + 1)
            if output == nil { print(answers.joined(separator: "\n")) } else { out += answers }
            if showProgress { printError("\rplanned \(min(lines.count, start + chunk)) of \(lines.count)", terminator: "") }
        }
        if showProgress { printError("") }
        if let output { try reportingErrors { try writeAtomically(out.map { $0 + "\n" }.joined(), to: output) } }
    }
}
