import Foundation
import Testing
@testable import GLPK

@Suite("Model files")
struct FileTests {
    @Test("LP and MPS files written and read back give the same optimum", arguments: [ModelFormat.cplexLP, .freeMPS])
    func roundTrip(format: ModelFormat) throws {
        try withTemporaryDirectory { dir in
            let w = try Wyndor()
            let path = dir + "/wyndor"
            try w.problem.write(to: path, format: format)
            let back = try Problem.read(from: path, format: format)
            #expect(back.variableCount == 2 && back.constraintCount == 3)
            #expect(back.direction == .maximize)
            #expect(abs(try #require(back.solve().objectiveValue) - 36) < 1e-9)

            let (k, _) = try knapsack(values: [4, 2, 1, 2, 10], weights: [12, 2, 1, 1, 4], capacity: 15)
            try k.write(to: path, format: format)           // overwrites atomically
            let kb = try Problem.read(from: path, format: format)
            #expect(kb.isMIP)
            #expect(try kb.solve().objectiveValue == 15)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
        }
    }
}

@Suite("Threads")
struct ThreadTests {
    @Test("two threads solving their own problems 2,000 times each agree with enumeration every time")
    func concurrentSolves() throws {
        let values: [Double] = [4, 2, 1, 2, 10, 7, 3], weights: [Double] = [12, 2, 1, 1, 4, 6, 5]
        let expected = [15.0, 10.0].map { bruteForceKnapsack(values: values, weights: weights, capacity: $0) }
        let mismatches = Mutex2(0)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for _ in 0..<2_000 {
                // create, solve and free on this thread, with no suspension point in between
                let capacity = worker == 0 ? 15.0 : 10.0
                guard let (p, _) = try? knapsack(values: values, weights: weights, capacity: capacity),
                      let s = try? p.solve(), s.objectiveValue == expected[worker] else {
                    mismatches.add(1); continue
                }
            }
        }
        #expect(mismatches.value == 0)
    }
}

/// A tiny lock-protected counter for the thread test.
final class Mutex2: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ count: Int) { self.count = count }
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
