import Dispatch
import Foundation
import Synchronization

/// One request of a batch, as a JSON object on one line. Keys (all optional): `minutes`,
/// `minimums` (cause → points), `max_share`, `max_exercises`, `conditions`, `exclude`,
/// `equipment` (absent: any), `time_limit` (seconds), `explain` (default false in a batch:
/// pricing each cause costs extra solves). Unknown keys are errors.
public struct BatchRequest: Sendable, Codable, Hashable {
    public var minutes: Double?
    public var minimums: [String: Double]?
    public var maxShare: Double?
    public var maxExercises: Int?
    public var conditions: [String]?
    public var exclude: [String]?
    public var equipment: [String]?
    public var timeLimit: Double?
    public var explain: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minutes, minimums, conditions, exclude, equipment, explain
        case maxShare = "max_share", maxExercises = "max_exercises", timeLimit = "time_limit"
    }

    public init() {}

    /// Parses one line; the error says what is wrong in words.
    public static func parse(_ line: String) throws -> BatchRequest {
        let data = Data(line.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RequestError(problems: ["not a JSON object"])
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        let unknown = object.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw RequestError(problems: ["unknown key\(unknown.count == 1 ? "" : "s") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); expected \(known.sorted().joined(separator: ", "))"])
        }
        do {
            return try JSONDecoder().decode(BatchRequest.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw RequestError(problems: ["\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"])
        } catch {
            throw RequestError(problems: ["\(error)"])
        }
    }

    /// The request as JSON on one line (keys sorted).
    public func jsonLine() -> String { encodeJSON(self) }

    public var planRequest: PlanRequest {
        var r = PlanRequest()
        r.budgetSeconds = minutes.map { $0 * 60 }
        r.minimums = minimums ?? [:]
        if let maxShare { r.maxShare = maxShare }
        r.maxExercises = maxExercises
        r.conditions = Set((conditions ?? []).map { $0.lowercased() })
        r.excluded = Set(exclude ?? [])
        r.equipment = equipment.map { Set($0.map { $0.lowercased() }) }
        r.timeLimit = timeLimit
        r.explain = explain ?? false
        return r
    }
}

extension Plan {
    /// The plan as JSON on one line: the same document as `--format json`, without the
    /// pretty-printing.
    public func jsonLine() -> String { encodeJSON(JSONPlan(self), snakeCase: true) }
}

/// Plans many requests against one catalogue on several threads. Each worker thread keeps
/// its own ``PlanningSession`` (GLPK problems never cross threads); results come back in
/// request order, and each equals what ``Planner/plan(_:)`` gives for that request alone.
public struct BatchPlanner: Sendable {
    public let planner: Planner
    public let threads: Int

    public init(planner: Planner, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.planner = planner
        self.threads = max(1, threads)
    }

    /// One JSON line per input line: the plan, or `{"error": …, "line": N}`.
    public func run(lines: [String], firstLine: Int = 1) -> [String] {
        let results = Mutex([String?](repeating: nil, count: lines.count))
        let planner = self.planner, threads = min(self.threads, max(1, lines.count))
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let session = PlanningSession(planner: planner)
            var local: [(Int, String)] = []
            for i in stride(from: worker, to: lines.count, by: threads) {
                local.append((i, Self.answer(lines[i], line: firstLine + i, session: session)))
            }
            results.withLock { for (i, text) in local { $0[i] = text } }
        }
        return results.withLock { $0.map { $0 ?? "" } }
    }

    static func answer(_ text: String, line: Int, session: PlanningSession) -> String {
        do {
            return try session.plan(BatchRequest.parse(text).planRequest).jsonLine()
        } catch let e as RequestError {
            return errorLine(e.problems.joined(separator: "; "), line: line)
        } catch {
            return errorLine("\(error)", line: line)
        }
    }

    static func errorLine(_ message: String, line: Int) -> String {
        struct ErrorLine: Encodable { let error: String; let line: Int }
        return encodeJSON(ErrorLine(error: message, line: line))
    }
}

/// Seeded requests shaped like real people's: budgets of 5–40 minutes, one in five with a
/// condition, one in three with limited equipment, some with their own minimums, caps or
/// blend share.
public struct RequestGenerator: Sendable {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    public func requests(count: Int, catalogue: Catalogue) -> [BatchRequest] {
        var rng = SplitMix64(seed: seed)
        let conditions = catalogue.knownConditions, equipment = catalogue.knownEquipment
        return (0..<count).map { _ in
            var r = BatchRequest()
            r.minutes = Double(5 + rng.next() % 36)
            if rng.next() % 5 == 0, !conditions.isEmpty { r.conditions = [conditions[Int(rng.next() % UInt64(conditions.count))]] }
            if rng.next() % 3 == 0 { r.equipment = equipment.filter { _ in rng.next() % 2 == 0 } }
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
