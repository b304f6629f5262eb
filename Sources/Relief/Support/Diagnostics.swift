import Foundation
import Synchronization

/// What the library can tell an engineer about its own work: traces of the searches and the
/// weeks, stage timings, the core search's survivor model. Off until the executable turns it
/// on: the library never reads the environment and never writes to standard error itself; its
/// messages go to the sink the executable gives (`relief` and `relief-serve` map RELIEF_DEBUG,
/// RELIEF_TRACE, RELIEF_PROFILE and RELIEF_DEBUG_LP to these settings, benchmarks/README.md).
public enum Diagnostics {
    public struct Settings: Sendable {
        /// 0: nothing; 1: the core search's fixing and each week's solve time; 2: each
        /// coverage level a week tries too.
        public var traceLevel = 0
        /// Time each planning stage; ``stageReport()`` summarises.
        public var profileStages = false
        /// Where the core search writes its survivors' model (CPLEX LP), for trying other
        /// solvers or options on it.
        public var survivorModelPath: String?
        /// Where messages go, one line each.
        public var sink: (@Sendable (String) -> Void)?

        public init() {}

        /// The settings the executables' environment variables ask for (README, "Benchmarks"):
        /// RELIEF_DEBUG (trace 1), RELIEF_TRACE=1 or 2, RELIEF_PROFILE, RELIEF_DEBUG_LP=FILE.
        public init(environment: [String: String], sink: @escaping @Sendable (String) -> Void) {
            if environment["RELIEF_DEBUG"] != nil { traceLevel = 1 }
            if let trace = environment["RELIEF_TRACE"] { traceLevel = max(traceLevel, trace == "2" ? 2 : 1) }
            profileStages = environment["RELIEF_PROFILE"] != nil
            survivorModelPath = environment["RELIEF_DEBUG_LP"].flatMap { $0.isEmpty ? nil : $0 }
            self.sink = sink
        }
    }

    private static let settings = Mutex(Settings())

    /// Sets what is collected and where it goes; call once, before planning starts.
    public static func configure(_ new: Settings) { settings.withLock { $0 = new } }

    static var traceLevel: Int { settings.withLock { $0.traceLevel } }
    static var profileStages: Bool { settings.withLock { $0.profileStages } }
    static var survivorModelPath: String? { settings.withLock { $0.survivorModelPath } }

    /// Sends a line to the sink when tracing is at `level` or above (the text is built only then).
    static func trace(_ level: Int = 1, _ message: @autoclosure () -> String) {
        let (on, sink) = settings.withLock { ($0.traceLevel >= level, $0.sink) }
        if on, let sink { sink(message()) }
    }

    /// Per stage timed so far (``Settings/profileStages``): total seconds, calls, mean, median and
    /// 90th percentile, most total first; empty when nothing was timed.
    public static func stageReport() -> String { StageClock.report() }
}

/// Where planning time goes, for engine work (``Diagnostics/Settings/profileStages``).
enum StageClock {
    private static let samples = Mutex([String: [Double]]())

    static func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        guard Diagnostics.profileStages else { return try body() }
        let clock = ContinuousClock()
        let start = clock.now
        defer {
            let spent = (clock.now - start).seconds
            samples.withLock { $0[stage, default: []].append(spent) }
        }
        return try body()
    }

    static func report() -> String {
        samples.withLock { samples in
            samples.sorted(by: { $0.value.reduce(0, +) > $1.value.reduce(0, +) }).map { stage, times in
                let sorted = times.sorted(), total = times.reduce(0, +)
                let median = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
                return String(format: "%-20@ %8.3f s %6d calls %8.3f ms mean %8.3f ms median %8.3f ms p90\n",
                              stage as NSString, total, times.count, total / Double(times.count) * 1000,
                              median * 1000, p90 * 1000)
            }.joined()
        }
    }
}
