internal import GLPK

/// A request to stop planning work under way: set from any thread (a server's deadline, a
/// client gone), seen by the work at its next check and by every GLPK solve at its next
/// branch-and-cut callback. Relief's own type, so nothing above the library touches the solver.
public final class Cancellation: Sendable {
    /// What the solves under this cancellation poll.
    let signal = StopSignal()

    public init() {}

    /// Asks the work to stop; safe from any thread, and more than once.
    public func stop() { signal.stop() }

    /// Whether ``stop()`` has been called.
    public var isStopped: Bool { signal.isStopped }
}
