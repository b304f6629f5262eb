import Foundation
internal import GLPK

/// A fixed set of planning threads for apps, servers and batches.
///
/// GLPK keeps its state and memory accounting per OS thread, so each worker thread creates its
/// own ``PlanningSession`` in its thread body, keeps it (the models are built once and
/// re-configured per request) and frees it on that same thread when the pool shuts down. Work
/// arrives through a bounded queue; a full queue is refused at once rather than waiting
/// (a server answers 503). Async callers `await` ``plan(_:)``; the server's own threads are never
/// blocked by a solve. This follows GRDB's `SerializedDatabase`: async access to a resource
/// bound to one thread.
public final class PlannerPool: @unchecked Sendable {
    /// The queue was full: try again later.
    public struct Full: Error, Sendable, CustomStringConvertible {
        public let capacity: Int
        public var description: String { "all \(capacity) places in the planning queue are taken; try again shortly" }
    }
    /// The pool was shut down before the work could run.
    public struct ShutDown: Error, Sendable, CustomStringConvertible {
        public var description: String { "the planner pool has shut down" }
    }

    public typealias Job = @Sendable (PlanningSession) -> Void

    public let threads: Int
    public let capacity: Int
    /// The queue and the workers' state; the worker threads hold it, not the pool, so the
    /// pool's deinit can shut them down and wait for them.
    private let core: Core

    /// Starts `threads` workers for `planner`, with room for `capacity` waiting jobs.
    public init(planner: Planner, threads: Int = ProcessInfo.processInfo.activeProcessorCount, capacity: Int = 1_024) {
        self.threads = max(1, threads)
        self.capacity = max(1, capacity)
        core = Core(threads: self.threads, capacity: self.capacity)
        for k in 0..<self.threads {
            let core = self.core
            let thread = Thread { core.work(planner: planner) }
            thread.name = "relief-planner-\(k + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    deinit { core.shutdown() }

    /// Jobs waiting (not yet started).
    public var queueDepth: Int { core.locked { core.jobs.count - core.head } }
    /// Workers solving now.
    public var busyWorkers: Int { core.locked { core.busy } }

    /// Queues a job that runs on a worker thread with that thread's session. Returns false,
    /// without queueing, when the queue is full or the pool is shutting down.
    @discardableResult
    public func submit(_ job: @escaping Job) -> Bool { core.submit(job) }

    /// Plans a request on a worker thread. Throws ``Full`` at once when the queue is full, and
    /// `CancellationError` when the task is cancelled: before a worker takes the job up it never
    /// runs, and a solve under way stops at its next branch-and-cut callback.
    public func plan(_ request: PlanRequest) async throws -> Plan {
        try await run { session in try session.plan(request) }
    }

    /// Runs `work` on a worker thread with that thread's session, whose ``PlanningSession/stop``
    /// is set for the job's duration: cancelling the calling task, or `deadline` passing (from
    /// when the job is queued), stops it (the work sees `stop.isStopped`, solves end early).
    /// Throws ``Full`` at once when the queue is full, ``DeadlinePassed`` when the deadline
    /// stopped the work, `CancellationError` when the task was cancelled.
    public func run<T: Sendable>(deadline: Duration? = nil,
                                 _ work: @escaping @Sendable (PlanningSession) throws -> T) async throws -> T {
        let signal = Cancellation()
        let core = self.core, capacity = self.capacity
        let passed = DeadlinePassed(seconds: deadline?.seconds ?? 0)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                // Whoever comes first answers: the work, or the deadline. At the deadline the
                // caller is answered at once, and the work, told to stop, ends on its own
                // thread (a simplex solve is not interruptible, so that may take a moment).
                let answer = Once(continuation)
                // The deadline runs on a Dispatch timer, not a Swift task: a cooperative pool
                // kept busy by synchronous work must not be able to delay it.
                let timer = Timer(deadline.map { d -> DispatchWorkItem in
                    let item = DispatchWorkItem {
                        signal.stop()
                        answer.resume(throwing: passed)
                    }
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(min(d.seconds, 1e6) * 1e9)), execute: item)
                    return item
                })
                let accepted = core.submit { session in
                    defer { timer.cancel() }
                    if signal.isStopped {
                        answer.resume(throwing: CancellationError())
                        return
                    }
                    session.stop = signal
                    defer { session.stop = nil }
                    let result = Result { try work(session) }
                    if signal.isStopped {
                        answer.resume(throwing: CancellationError())
                    } else {
                        answer.resume(with: result)
                    }
                }
                if !accepted {
                    timer.cancel()
                    answer.resume(throwing: core.isStopping ? ShutDown() as Error : Full(capacity: capacity))
                }
            }
        } onCancel: {
            signal.stop()
        }
    }

    /// The work ran past its deadline and was stopped.
    public struct DeadlinePassed: Error, Sendable, CustomStringConvertible {
        public let seconds: Double
        public var description: String { "the work took longer than the \(format(seconds)) s allowed and was stopped" }
    }

    /// Stops taking work, lets the workers finish the queue, and waits for every thread to free
    /// its session and end. Safe to call more than once.
    public func shutdown() { core.shutdown() }

    final class Core: @unchecked Sendable {
        let threads: Int
        let capacity: Int
        let condition = NSCondition()
        // Guarded by `condition`.
        var jobs: [Job] = []
        var head = 0
        var stopping = false
        var busy = 0
        let finished = DispatchSemaphore(value: 0)

        init(threads: Int, capacity: Int) {
            self.threads = threads
            self.capacity = capacity
        }

        func submit(_ job: @escaping Job) -> Bool {
            locked {
                guard !stopping, jobs.count - head < capacity else { return false }
                jobs.append(job)
                condition.signal()
                return true
            }
        }

        var isStopping: Bool { locked { stopping } }

        func shutdown() {
            let wait: Int = locked {
                if stopping { return 0 }
                stopping = true
                condition.broadcast()
                return threads
            }
            for _ in 0..<wait { finished.wait() }
        }

        func work(planner: Planner) {
            // Created, used and freed on this thread only.
            var session: PlanningSession? = PlanningSession(planner: planner)
            while let job = next() {
                job(session!)
                locked { busy -= 1 }
            }
            session = nil
            finished.signal()
        }

        private func next() -> Job? {
            locked {
                while head == jobs.count && !stopping { condition.wait() }
                guard head < jobs.count else { return nil }
                let job = jobs[head]
                head += 1
                if head > 256 && head * 2 > jobs.count { jobs.removeFirst(head); head = 0 }
                busy += 1
                return job
            }
        }

        /// Runs `body` holding the lock (a plain synchronous helper: NSCondition is not for async code).
        func locked<R>(_ body: () -> R) -> R {
            condition.lock()
            defer { condition.unlock() }
            return body()
        }
    }
}

/// A deadline's work item, cancelled from the worker once the work is done.
private final class Timer: @unchecked Sendable {
    private let item: DispatchWorkItem?
    init(_ item: DispatchWorkItem?) { self.item = item }
    func cancel() { item?.cancel() }
}

/// A continuation resumed by whichever of several threads comes first; later calls do nothing.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    init(_ continuation: CheckedContinuation<T, Error>) { self.continuation = continuation }

    func resume(with result: Result<T, Error>) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: result)
    }

    func resume(throwing error: Error) { resume(with: .failure(error)) }
}

