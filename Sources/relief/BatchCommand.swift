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
        `relief plan --format json` would print it for the same request, on one line. A bad \
        line gives {"error": "...", "line": N, "problems": [{"field", "value", "expected", \
        "column"}]} and the batch goes on. The catalogue's models are built once per worker \
        thread and re-solved per request.

        Output is written in whole lines as they are planned; SIGTERM or Ctrl-C stops after \
        the last whole line (exit 143 or 130). With --output nothing is written unless every \
        line was planned, and the file appears whole.

        With --numbered, each line is its line number in a larger file, a tab, then the request \
        (what spark/relief_batch.py feeds each Spark partition), and errors name that number; \
        the answers are the same lines.

        Example:
          printf '{"minutes": 15}\\n{"minutes": 8, "conditions": ["flexion-intolerant"]}\\n' | relief batch
        """
    )

    @Option(help: ArgumentHelp("Read requests from this file instead of standard input.", valueName: "file")) var input: String?
    @Option(help: ArgumentHelp("Write plans to this file (atomically) instead of standard output.", valueName: "file")) var output: String?
    @Option(help: ArgumentHelp("Worker threads (1-256; default: one per core).", valueName: "n")) var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("The catalogue folder.", valueName: "dir")) var data: String?
    @Option(help: ArgumentHelp("A CSV of exercise_id,cause,points overriding the catalogue's weights.", valueName: "file")) var weights: String?
    @Flag(help: "Each line is `N<tab>request`: N, the line number errors name (a part of a larger file).") var numbered = false
    @Option(help: ArgumentHelp("How GLPK searches: auto, core or full (see relief plan --help); the plans are the same.", valueName: "auto|core|full")) var strategy: SolveStrategy = .auto

    func validate() throws {
        if !Limits.threads.contains(Double(threads)) { throw ValidationError("--threads must be \(Limits.threads.expected), got \(threads)") }
    }

    func run() throws {
        Interrupt.install()
        var options = try RoutineOptions.parse([])
        options.data = data
        options.weights = weights
        let catalogue = try reportingErrors { () throws -> Catalogue in
            if let output { try checkWritable(output) }
            return try options.load(minutes: nil).0
        }
        let text: String
        if let input {
            guard let bytes = FileManager.default.contents(atPath: input) else {
                printError("error: \(input): cannot be read (missing, a folder, or no permission)")
                throw Exit.noInput
            }
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        // Lines end at "\n"; a "\r" before it is part of the line ending.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0[...]))
        }
        if lines.last == "" { lines.removeLast() }
        let batch = BatchPlanner(planner: Planner(catalogue: catalogue, strategy: strategy), threads: threads)
        let showProgress = isatty(2) != 0 && lines.count > 2_000
        var collected: [String] = []
        // Workers check for a signal before each line, so the chunk size does not delay a stop.
        // To standard output, small chunks stream answers as they come; to a file, larger ones.
        let chunk = output == nil ? max(64, threads * 32) : 1_000
        var done = 0
        for start in stride(from: 0, to: lines.count, by: chunk) {
            let part = Array(lines[start..<min(lines.count, start + chunk)])
            let answers: [String?]
            if numbered {
                // "N<tab>request": the number is the line's in the whole file; a line without
                // one is answered with an error naming its place in this input.
                var requests: [String] = [], numbers: [Int] = [], malformed: [Int: String] = [:]
                for (i, line) in part.enumerated() {
                    if let tab = line.firstIndex(of: "\t"), let n = Int(line[..<tab]), n >= 1 {
                        requests.append(String(line[line.index(after: tab)...])); numbers.append(n)
                    } else {
                        malformed[i] = BatchPlanner.errorLine([RequestProblem(field: "line", value: String(line.prefix(20)), expected: "a line number, a tab, then the request (--numbered)", line: start + i + 1, column: 1)], line: start + i + 1)
                        requests.append("{}"); numbers.append(start + i + 1)
                    }
                }
                var planned = batch.run(lines: requests, numbers: numbers, shouldStop: { Interrupt.requested != nil })
                for (i, error) in malformed where planned[i] != nil { planned[i] = error }
                answers = planned
            } else {
                answers = batch.run(lines: part, firstLine: start + 1, shouldStop: { Interrupt.requested != nil })
            }
            let whole = Array(answers.prefix { $0 != nil }.map { $0! })
            if output == nil {
                if !whole.isEmpty { try reportingErrors { try emit(whole.map { $0 + "\n" }.joined()) } }
            } else {
                collected += whole
            }
            done += whole.count
            if showProgress { printError("\rplanned \(done) of \(lines.count)", terminator: "") }
            if let signal = Interrupt.requested {
                if showProgress { printError("") }
                printError("interrupted by signal \(signal) after \(done) of \(lines.count) lines\(output == nil ? "" : "; \(output!) was not written")")
                throw ExitCode(128 + signal)
            }
        }
        if showProgress { printError("") }
        if let output { try reportingErrors { try writeAtomically(collected.map { $0 + "\n" }.joined(), to: output) } }
    }
}
