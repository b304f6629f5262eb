import Foundation
import Synchronization
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

/// The planning thread pool: answers equal the synchronous planner's, a full queue is refused
/// at once, cancelled work does not run, and shutdown drains the queue.
@Suite("Planner pool")
struct PoolTests {
    static let catalogue = try! Catalogue.load(directory: Fixtures.shipped)

    @Test("40 concurrent async plans equal the same plans made one by one")
    func asyncEqualsSync() async throws {
        let pool = PlannerPool(planner: Planner(catalogue: Self.catalogue), threads: 2)
        let requests = (0..<40).map { k -> PlanRequest in
            var r = PlanRequest()
            r.budgetSeconds = Double(5 + k) * 60
            r.explain = k % 10 == 0
            return r
        }
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (k, r) in requests.enumerated() { group.addTask { (k, try await pool.plan(r).jsonLine()) } }
            var out = [String](repeating: "", count: requests.count)
            for try await (k, line) in group { out[k] = line }
            return out
        }
        for (k, r) in requests.enumerated() {
            #expect(answers[k] == (try Planner(catalogue: Self.catalogue).plan(r).jsonLine()), "request \(k)")
        }
        pool.shutdown()
    }

    @Test("a full queue is refused at once; shutdown drains what was queued, then refuses")
    func fullAndShutdown() async throws {
        let pool = PlannerPool(planner: Planner(catalogue: Self.catalogue), threads: 1, capacity: 1)
        let gate = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        let ran = Mutex(0)
        #expect(pool.submit { _ in started.signal(); gate.wait(); ran.withLock { $0 += 1 } })
        started.wait()                                   // the worker is busy
        #expect(pool.submit { _ in ran.withLock { $0 += 1 } })      // fills the one place
        #expect(pool.queueDepth == 1 && pool.busyWorkers == 1)
        #expect(!pool.submit { _ in ran.withLock { $0 += 1 } })     // refused
        await #expect(throws: PlannerPool.Full.self) { try await pool.plan(PlanRequest()) }
        gate.signal()
        pool.shutdown()
        #expect(ran.withLock { $0 } == 2)
        #expect(!pool.submit { _ in })
        await #expect(throws: PlannerPool.ShutDown.self) { try await pool.plan(PlanRequest()) }
    }

    @Test("a request cancelled before a worker takes it is not planned")
    func cancelledBeforeStart() async throws {
        let pool = PlannerPool(planner: Planner(catalogue: Self.catalogue), threads: 1)
        let gate = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        pool.submit { _ in started.signal(); gate.wait() }
        started.wait()
        let task = Task { try await pool.plan(PlanRequest()) }
        while pool.queueDepth == 0 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        gate.signal()
        await #expect(throws: CancellationError.self) { try await task.value }
        pool.shutdown()
    }
}

/// The pool stops work that outlives its deadline or its caller: the solve under way ends at its
/// next branch-and-cut callback and the caller hears why.
@Suite("Planner pool: deadlines and cancellation")
struct PoolStopTests {
    static let catalogue = try! Catalogue.load(directory: Fixtures.shipped)

    /// Work that runs until its session is stopped (as a long solve would), at most `cap` seconds.
    static func waitForStop(_ session: PlanningSession, cap: Double = 120) -> Bool {
        let began = Date()
        while session.stop?.isStopped != true && Date().timeIntervalSince(began) < cap { Thread.sleep(forTimeInterval: 0.005) }
        return session.stop?.isStopped == true
    }

    @Test("a deadline stops the work and throws DeadlinePassed")
    func deadline() async throws {
        let pool = PlannerPool(planner: Planner(catalogue: Self.catalogue), threads: 1)
        // Timed on the worker thread, from the job's start to its stop: the test's own task may
        // wait long for a cooperative thread on a loaded run, the worker and the timer do not.
        let stoppedAfter = Mutex(Double.infinity)
        await #expect(throws: PlannerPool.DeadlinePassed.self) {
            try await pool.run(deadline: .milliseconds(200)) { session in
                let began = Date()
                let stopped = Self.waitForStop(session)
                stoppedAfter.withLock { $0 = Date().timeIntervalSince(began) }
                return stopped
            }
        }
        // The worker is free again, with no stop signal left on its session.
        let plan = try await pool.plan(PlanRequest())
        #expect(plan.status == .optimal)
        // One worker: the first job had ended before this plan ran. The 120 s cap was not what
        // ended it (the stop comes 0.2 s after queueing).
        #expect(stoppedAfter.withLock { $0 } < 60)
        pool.shutdown()
    }

    @Test("cancelling the caller stops the work under way and throws CancellationError")
    func cancel() async throws {
        let pool = PlannerPool(planner: Planner(catalogue: Self.catalogue), threads: 1)
        let sawStop = Mutex(false)
        let started = DispatchSemaphore(value: 0)
        let task = Task {
            try await pool.run { session in
                started.signal()
                let stopped = Self.waitForStop(session)
                sawStop.withLock { $0 = stopped }
                return stopped
            }
        }
        // Cancelled once the work is under way (cancelled before, it never runs: fullAndShutdown),
        // from a Dispatch thread: the test's own cooperative threads may be busy with other suites.
        DispatchQueue.global().async { started.wait(); task.cancel() }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(sawStop.withLock { $0 })
        pool.shutdown()
    }
}
