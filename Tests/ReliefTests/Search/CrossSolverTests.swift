import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

/// The race's own correctness check, on small sizes: Relief's optimum and glpsol's on the
/// LP file Relief exports must agree. `make test` installs glpsol (Debian's glpk-utils).
@Suite("Relief and glpsol agree")
struct CrossSolverTests {
    func glpsolObjective(_ model: String) throws -> Double? {
        let glpsol = ["/usr/bin/glpsol", "/usr/local/bin/glpsol"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let glpsol else {
            Issue.record("glpsol not found: run the tests with `make test`, which installs glpk-utils")
            return nil
        }
        let solution = model + ".sol"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: glpsol)
        p.arguments = ["--lp", model, "-w", solution]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = try String(contentsOfFile: solution, encoding: .utf8)
        // "s mip ROWS COLS o OBJECTIVE": o means optimal
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("s mip") })
        let parts = line.split(separator: " ")
        #expect(parts[4] == "o")
        return Double(parts[5])
    }

    @Test("generated catalogues of 60 exercises and the shipped one", arguments: [0, 60, 61, 62])
    func agree(seed: Int) throws {
        let catalogue = seed == 0 ? try Catalogue.load(directory: Fixtures.shipped)
                                  : CatalogueGenerator(seed: UInt64(seed)).catalogue(count: 60)
        try withTemporaryDirectory { dir in
            let model = dir + "/model.lp"
            let request = PlanRequest.bare
            try Planner(catalogue: catalogue).exportModel(request, to: model)
            let ours = try PlanningSession(planner: Planner(catalogue: catalogue)).shortestRoutineSolve(request)
            #expect(ours.termination == .optimal)
            guard let theirs = try glpsolObjective(model) else { return }
            #expect(abs(try #require(ours.seconds) - theirs) < 1e-6 * max(1, theirs))
            // and the full planner reports the same shortest time
            #expect(abs(try Planner(catalogue: catalogue).plan(request).totalSeconds - theirs) < 1e-6 * max(1, theirs))
        }
    }
}
