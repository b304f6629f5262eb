import Dispatch
import Foundation
import Relief
import Synchronization

extension Plan {
    /// The plan as JSON on one line: the same document as `--format json`, without the
    /// pretty-printing.
    public func jsonLine() throws -> String { try JSONWriter.compact.text(JSONPlan(self)) }
}

/// Plans many requests against one catalogue on several threads: a client of a
/// ``PlannerPool``, whose worker threads keep their own ``PlanningSession`` for the batch's
/// whole life (GLPK problems never cross threads). Results come back in request order, and each
/// equals what ``Planner/plan(_:)`` gives for that request alone.
public struct BatchPlanner: Sendable {
    public let planner: Planner
    public let threads: Int
    private let pool: PlannerPool

    public init(planner: Planner, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.planner = planner
        self.threads = max(1, threads)
        // The batch feeds its own pool, a chunk at a time: room for any chunk.
        pool = PlannerPool(planner: planner, threads: self.threads, capacity: 1 << 20)
    }

    /// One JSON line per input line: the plan, or `{"error": …, "line": N}`.
    public func run(lines: [String], firstLine: Int = 1) -> [String] {
        run(lines: lines, firstLine: firstLine, shouldStop: { false }).map { $0 ?? "" }
    }

    /// As ``run(lines:firstLine:)``, but a line whose turn comes after `shouldStop` says yes is
    /// left as nil (an interrupted batch writes only the whole answers before the first nil).
    public func run(lines: [String], firstLine: Int = 1, shouldStop: @escaping @Sendable () -> Bool) -> [String?] {
        run(lines: lines, numbers: lines.indices.map { firstLine + $0 }, shouldStop: shouldStop)
    }

    /// As ``run(lines:firstLine:shouldStop:)``, each line with its own line number (for error
    /// lines): a part of a larger file, as a Spark partition is.
    public func run(lines: [String], numbers: [Int], shouldStop: @escaping @Sendable () -> Bool) -> [String?] {
        let results = Mutex([String?](repeating: nil, count: lines.count))
        let group = DispatchGroup()
        for (i, text) in lines.enumerated() {
            group.enter()
            let queued = pool.submit { session in
                defer { group.leave() }
                if shouldStop() { return }
                let answer = Self.answer(text, line: numbers[i], session: session)
                results.withLock { $0[i] = answer }
            }
            if !queued { group.leave() }
        }
        group.wait()
        return results.withLock { $0 }
    }

    /// The answer to one line: its plan, or an error line. Never throws and never traps:
    /// a bad line is reported and the batch goes on.
    public static func answer(_ text: String, line: Int, session: PlanningSession) -> String {
        answer(bytes: Array(text.utf8), line: line, session: session)
    }

    /// As ``answer(_:line:session:)`` from the line's bytes: invalid UTF-8 is reported at its
    /// own byte, not at a replacement character.
    public static func answer(bytes: [UInt8], line: Int, session: PlanningSession) -> String {
        let (request, problems) = Self.request(bytes: bytes, catalogue: session.planner.catalogue)
        guard problems.isEmpty else { return errorLine(problems, line: line) }
        do {
            return try session.plan(request).jsonLine()
        } catch {
            return errorLine([RequestProblem(field: "request", value: nil, expected: "could not be planned: \(error)")], line: line)
        }
    }

    /// The request of one line, read as every entry point reads one
    /// (``PlanRequest/read(_:extraKeys:explainByDefault:otherProblems:catalogue:)``), with
    /// `explain` false unless the line asks (pricing each cause costs extra solves); or the
    /// line's problems, placed by their column in the line.
    public static func request(bytes: [UInt8], catalogue: Catalogue) -> (PlanRequest, [RequestProblem]) {
        do {
            return PlanRequest.read(try JSONNode.parse(bytes: bytes), explainByDefault: false, catalogue: catalogue)
        } catch let e as JSONSyntaxError {
            return (PlanRequest(), [RequestProblem(field: "request", value: nil, expected: "not valid JSON: \(e.message)", line: 1, column: e.column)])
        } catch {
            return (PlanRequest(), [RequestProblem(field: "request", value: nil, expected: "\(error)")])
        }
    }

    /// `{"error": "…", "line": N, "problems": [{"field", "value", "expected", "column"}]}`:
    /// `error` joins the messages; `column` is the place in the line.
    public static func errorLine(_ problems: [RequestProblem], line: Int) -> String {
        struct Problem: Encodable { let field: String; let value: String?; let expected: String; let column: Int? }
        struct ErrorLine: Encodable { let error: String; let line: Int; let problems: [Problem] }
        let message = problems.map { p in p.column.map { "column \($0): \(p.message)" } ?? p.message }.joined(separator: "; ")
        return (try? JSONWriter.compact.text(ErrorLine(error: message, line: line, problems: problems.map {
            Problem(field: $0.field, value: $0.value, expected: $0.expected, column: $0.column)
        }))) ?? #"{"error":"the error could not be encoded","line":\#(line)}"#
    }
}

/// One line of a streamed batch: a request to plan (its bytes and the line number its errors
/// name), or an answer already known (a malformed `--numbered` line, a line over the length limit).
public enum BatchLine: Sendable {
    case request([UInt8], line: Int)
    case answered(String)
}

/// Plans a stream of batch lines as they arrive, answering each in order as soon as it and
/// every line before it are planned: a caller that writes one line and waits gets its answer
/// without closing its end. At most `window` lines are read ahead of the last answer written,
/// so memory stays bounded however long the stream. Each answer is
/// ``BatchPlanner/answer(_:line:session:)``'s, the same bytes as one line planned alone.
public enum BatchStream {
    public struct Outcome: Sendable {
        /// Whole answers written, in order.
        public let written: Int
        /// A line's turn came after `shouldStop` said yes: the answers stop before it.
        public let stopped: Bool
    }

    /// Reads with `next` (nil: the end) on the calling thread, plans on `threads` workers,
    /// writes with `emit` (called in order, one at a time, from any thread). The first error
    /// `emit` or `next` throws ends the batch after the lines under way and is rethrown.
    public static func run(planner: Planner, threads: Int, window: Int? = nil,
                           next: () throws -> BatchLine?,
                           emit: @escaping @Sendable (String) throws -> Void,
                           shouldStop: @escaping @Sendable () -> Bool) throws -> Outcome {
        let threads = max(1, threads)
        let window = max(1, window ?? threads * 8)
        let pool = PlannerPool(planner: planner, threads: threads, capacity: window + 1)
        defer { pool.shutdown() }
        let slots = DispatchSemaphore(value: window)
        let group = DispatchGroup()
        let state = Mutex(StreamState())
        // Stores answer `i` (nil: not planned, the batch was stopped) and writes every answer
        // now next in order. Each answer frees a slot once written (or skipped).
        @Sendable func deliver(_ i: Int, _ answer: String?) {
            state.withLock { s in
                s.pending[i] = .some(answer)
                while let entry = s.pending.removeValue(forKey: s.nextToWrite) {
                    s.nextToWrite += 1
                    slots.signal()
                    guard s.failure == nil, !s.stopped else { continue }
                    guard let text = entry else { s.stopped = true; continue }
                    do { try emit(text); s.written += 1 } catch { s.failure = error }
                }
            }
        }
        var index = 0
        var readError: Error?
        while true {
            if shouldStop() || state.withLock({ $0.failure != nil || $0.stopped }) { break }
            let line: BatchLine?
            do { line = try next() } catch { readError = error; break }
            guard let line else { break }
            slots.wait()
            let i = index
            index += 1
            switch line {
            case .answered(let text):
                deliver(i, text)
            case .request(let bytes, let number):
                group.enter()
                let queued = pool.submit { session in
                    defer { group.leave() }
                    deliver(i, shouldStop() ? nil : BatchPlanner.answer(bytes: bytes, line: number, session: session))
                }
                // The pool has room for the whole window: a refusal means it is shutting down.
                if !queued { group.leave(); deliver(i, nil) }
            }
        }
        group.wait()
        let end = state.withLock { $0 }
        if let failure = end.failure { throw failure }
        if let readError { throw readError }
        return Outcome(written: end.written, stopped: end.stopped || (shouldStop() && index > end.written))
    }

    private struct StreamState {
        var pending: [Int: String?] = [:]
        var nextToWrite = 0
        var written = 0
        var stopped = false
        var failure: Error?
    }
}

/// Seeded requests shaped like real people's: budgets of 5–40 minutes, one in five with a
/// condition, one in three with limited equipment (the others none), some with their own
/// minimums, caps or blend share; none explained, as a batch line is not unless it asks.
/// A request's batch line is its ``PlanRequest/batchLine``.
public struct RequestGenerator: Sendable {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    public func requests(count: Int, catalogue: Catalogue) -> [PlanRequest] {
        var rng = SplitMix64(seed: seed)
        let conditions = catalogue.knownConditions, equipment = catalogue.knownEquipment
        return (0..<count).map { _ in
            var r = PlanRequest()
            r.explain = false
            r.budgetSeconds = Double(5 + rng.next() % 36) * 60
            if rng.next() % 5 == 0, !conditions.isEmpty { r.conditions = [conditions[Int(rng.next() % UInt64(conditions.count))]] }
            if rng.next() % 3 == 0 { r.equipment = Set(equipment.filter { _ in rng.next() % 2 == 0 }) }
            if rng.next() % 4 == 0 {
                r.minimums = Dictionary(uniqueKeysWithValues: catalogue.causes.map {
                    ($0.id, ($0.defaultMinimum * (0.7 + Double(rng.next() % 61) / 100)).rounded())
                })
            }
            if rng.next() % 5 == 0 { r.maxExercises = 4 + Int(rng.next() % 5) }
            if rng.next() % 10 == 0 { r.maxShare = 0.4 + Double(rng.next() % 31) / 100 }
            return r
        }
    }
}
