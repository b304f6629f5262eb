import Foundation

/// A row's identity, typed by what it identifies so a patient's id can never be passed where a
/// clinic's is expected. Text in UUID version 7's layout: the same bytes in SQLite and
/// PostgreSQL, unguessable from a neighbour's (62 random bits), and ordered by creation within a
/// process, so rows written in the same millisecond (an audit line and the next) still sort in
/// the order they were written.
public struct EntityID<Entity>: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new identity, later than every one this process made before.
    public static func random() -> EntityID { EntityID(rawValue: OrderedIDs.shared.next()) }

    public var description: String { rawValue }

    public static func < (a: EntityID, b: EntityID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// UUID v7 (RFC 9562) with its 12-bit `rand_a` used as a counter within one millisecond (the
/// RFC's method 1), under a lock: monotonic for the whole process.
final class OrderedIDs: @unchecked Sendable {
    static let shared = OrderedIDs()
    private let lock = NSLock()
    private var lastMillis: UInt64 = 0
    private var counter: UInt64 = 0

    func next() -> String {
        let wall = UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down)))
        let (ms, seq): (UInt64, UInt64) = lock.withLock {
            if wall > lastMillis {
                lastMillis = wall
                counter = 0
            } else {
                counter += 1
                if counter > 0xFFF {
                    lastMillis += 1
                    counter = 0
                }
            }
            return (lastMillis, counter)
        }
        let random = UInt64.random(in: 0...UInt64.max)
        let hi = (ms & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | seq
        let lo = (random & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let h = String(hi, radix: 16).leftPadded(to: 16), l = String(lo, radix: 16).leftPadded(to: 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
