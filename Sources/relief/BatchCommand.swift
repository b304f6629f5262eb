import ArgumentParser
import Foundation
import Relief
import ReliefFormats
import Synchronization

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Plan many routines: JSON Lines of requests in, JSON Lines of plans out, in order.",
        discussion: """
        Each input line is a JSON object with any of: minutes, minimums (cause → points), \
        max_share, max_exercises, conditions, exclude, equipment, time_limit, explain (default \
        false here: explanations cost extra solves). Each output line is the plan as \
        `relief plan --format json` would print it for the same request, on one line; its \
        "status" is a result (optimal, feasible, or partial: fits the budget with part of each \
        minimum) or says why there is no routine (over_budget, uncoverable, no_solution, \
        red_flag); the batch's exit status does not depend on them. A bad \
        line gives {"error": "...", "line": N, "problems": [{"field", "value", "expected", \
        "column"}]} and the batch goes on. The catalogue's models are built once per worker \
        thread and re-solved per request.

        Lines are planned as they arrive and answered in order as soon as each is planned (a \
        caller may write a line and wait for its answer); at most a few lines per thread are \
        read ahead, so memory stays small however long the input. A line over 16 MiB is \
        answered with an error. Output is written in whole lines; SIGTERM or Ctrl-C stops after \
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
    @OptionGroup var data: DataOption<CatalogueFolderWords>
    @OptionGroup var overrides: WeightsOption
    @Flag(help: "Each line is `N<tab>request`: N, the line number errors name (a part of a larger file).") var numbered = false
    @Flag(help: "Plan every line afresh instead of reusing the answers of earlier lines of the same sub-problem (the plans are the same; for benchmarks).") var noReuse = false
    @Option(help: ArgumentHelp("How GLPK searches: auto, core or full (see relief plan --help); the plans are the same.", valueName: "auto|core|full")) var strategy: SolveStrategy = .auto

    /// The longest line read (longer: an error line, and the batch goes on).
    static let lineLimit = 16 << 20

    func validate() throws {
        if !Limits.threads.contains(Double(threads)) { throw ValidationError("--threads must be \(Limits.threads.expected), got \(threads)") }
    }

    func run() throws {
        Interrupt.install()
        let catalogue = try reportingErrors { () throws -> Catalogue in
            if let output { try checkWritable(output) }
            return try overrides.applied(to: data.loadCatalogue())
        }
        let fd: Int32
        if let input {
            fd = try reportingErrors { try openForReading(input) }
        } else {
            fd = 0
        }
        defer { if input != nil { close(fd) } }
        let reader = LineReader(fd: fd, name: input ?? "standard input", limit: Self.lineLimit)
        let numbered = self.numbered
        var number = 0
        // Each line as it arrives: "\n" ends it, a "\r" before it is part of the line ending.
        func next() throws -> BatchLine? {
            guard let read = try reader.next(shouldStop: { Interrupt.requested != nil }) else { return nil }
            number += 1
            guard case .line(let bytes) = read else {
                return .answered(BatchPlanner.errorLine([RequestProblem(field: "line", value: nil, expected: "a line of at most \(Self.lineLimit / (1 << 20)) MiB", line: number, column: 1)], line: number))
            }
            guard numbered else { return .request(bytes, line: number) }
            // "N<tab>request": the number is the line's in the whole file; a line without one
            // is answered with an error naming its place in this input.
            if let tab = bytes.firstIndex(of: 0x09), let n = Int(String(decoding: bytes[..<tab], as: UTF8.self)), n >= 1,
               bytes[..<tab].allSatisfy({ (0x30...0x39).contains($0) }) {
                return .request(Array(bytes[(tab + 1)...]), line: n)
            }
            return .answered(BatchPlanner.errorLine([RequestProblem(field: "line", value: String(decoding: bytes.prefix(20), as: UTF8.self), expected: "a line number, a tab, then the request (--numbered)", line: number, column: 1)], line: number))
        }
        let showProgress = isatty(2) != 0
        let out = try reportingErrors { try output.map { try StagedFile(path: $0) } }
        let progress = Mutex(0)
        let emitLine: @Sendable (String) throws -> Void = { line in
            if let out { try out.append(line + "\n") } else { try emit(line + "\n") }
            if showProgress {
                let n = progress.withLock { $0 += 1; return $0 }
                if n % 500 == 0 { printError("\rplanned \(n)", terminator: "") }
            }
        }
        let outcome = try reportingErrors {
            var planner = Planner(catalogue: catalogue, strategy: strategy)
            if noReuse { planner.reuse = nil }
            return try BatchStream.run(planner: planner, threads: threads,
                                next: next, emit: emitLine, shouldStop: { Interrupt.requested != nil })
        }
        if showProgress && outcome.written >= 500 { printError("") }
        if let signal = Interrupt.requested {
            out?.discard()
            printError("interrupted by signal \(signal) after \(outcome.written) of \(number) lines\(output == nil ? "" : "; \(output!) was not written")")
            throw ExitCode(128 + signal)
        }
        if let out { try reportingErrors { try out.commit() } }
    }
}
