import Foundation

/// Failed sign-ins counted in memory, per key (an email, a client address), over a sliding
/// window. In memory only: a restart forgets the counts, and each node of several behind a load
/// balancer counts its own (the store is not consulted), so an attacker spread over N nodes
/// gets N times the attempts. Good enough for one node; a shared counter is left for later.
final class SignInLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private let window: TimeInterval
    /// The most keys kept: beyond it, keys whose failures have all aged out are dropped first,
    /// then the oldest, so a flood of made-up emails cannot grow memory without bound.
    private let maxKeys = 100_000

    init(window: TimeInterval) { self.window = window }

    /// Seconds until the first of `keys` that has reached its limit allows another attempt, or
    /// nil when none has.
    func retryAfter(_ keys: [(key: String, limit: Int)], now: Date) -> Int? {
        lock.withLock {
            var wait: TimeInterval?
            for (key, limit) in keys {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                guard recent.count >= limit else { continue }
                // The attempt is allowed again once enough of the recent failures have aged out.
                let freeing = recent.sorted()[recent.count - limit]
                let w = window - now.timeIntervalSince(freeing)
                wait = max(wait ?? 0, w)
            }
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
    }

    func fail(_ keys: [String], now: Date) {
        lock.withLock {
            if failures.count >= maxKeys {
                failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
                if failures.count >= maxKeys { failures.removeAll(keepingCapacity: true) }
            }
            for key in keys {
                var list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                list.append(now)
                failures[key] = list
            }
        }
    }

    func clear(_ key: String) { _ = lock.withLock { failures.removeValue(forKey: key) } }
}
