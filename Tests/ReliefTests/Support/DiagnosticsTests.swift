import Synchronization
import Testing
@testable import Relief

/// The library's diagnostics come only from what the executable configures.
@Suite("Diagnostics", .serialized)
struct DiagnosticsTests {
    @Test("the environment's names map to settings; nothing is set without them")
    func environment() {
        let none = Diagnostics.Settings(environment: [:]) { _ in }
        #expect(none.traceLevel == 0 && !none.profileStages && none.survivorModelPath == nil)
        #expect(Diagnostics.Settings(environment: ["RELIEF_DEBUG": "1"]) { _ in }.traceLevel == 1)
        #expect(Diagnostics.Settings(environment: ["RELIEF_TRACE": "1"]) { _ in }.traceLevel == 1)
        #expect(Diagnostics.Settings(environment: ["RELIEF_TRACE": "2"]) { _ in }.traceLevel == 2)
        #expect(Diagnostics.Settings(environment: ["RELIEF_PROFILE": "1"]) { _ in }.profileStages)
        #expect(Diagnostics.Settings(environment: ["RELIEF_DEBUG_LP": "/tmp/s.lp"]) { _ in }.survivorModelPath == "/tmp/s.lp")
        #expect(Diagnostics.Settings(environment: ["RELIEF_DEBUG_LP": ""]) { _ in }.survivorModelPath == nil)
    }

    @Test("a trace line reaches the sink at its level or above, and is not even built below it")
    func traceLevels() {
        let lines = Mutex([String]())
        var settings = Diagnostics.Settings()
        settings.sink = { line in lines.withLock { $0.append(line) } }
        settings.traceLevel = 1
        Diagnostics.configure(settings)
        defer { Diagnostics.configure(Diagnostics.Settings()) }
        var built = 0
        func text(_ s: String) -> String { built += 1; return s }
        Diagnostics.trace(1, text("one"))
        Diagnostics.trace(2, text("two"))
        // Other suites plan meanwhile and may trace too: only these two lines are ours.
        #expect(lines.withLock { $0 }.filter { $0 == "one" || $0 == "two" } == ["one"])
        #expect(built == 1)
    }
}
