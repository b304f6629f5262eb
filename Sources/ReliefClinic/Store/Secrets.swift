import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Tokens and password hashes, in one place so no other file touches a secret's bytes.
enum Secrets {
    /// 256 random bits from the system's secure generator, base64url without padding (43
    /// characters): safe in a URL path and a cookie.
    static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lowercase hex SHA-256: what the store keeps of a token. A token has 256 bits of
    /// entropy, so an unsalted fast hash is enough (unlike a password).
    static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// bcrypt, run on NIO's blocking pool: a hash at cost 12 takes a quarter of a second and
    /// would otherwise hold a cooperative thread that other requests need.
    static func bcrypt(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

/// Settings every store shares.
public struct ClinicStoreOptions: Sendable {
    /// bcrypt's cost, log2 of the rounds: 12 in production; tests use 4 (the least bcrypt allows)
    /// so that creating clinicians stays fast.
    public var bcryptCost: UInt8
    /// The clock: tests pass a fixed one.
    public var now: @Sendable () -> Date
    /// How long opening a server's store may take: PostgreSQL's client retries a refused
    /// connection with back-off for over a minute, which a person starting a server should not
    /// wait for to learn the address is wrong.
    public var openTimeout: Duration
    /// SQLite's `synchronous` in WAL mode. `normal` (the default, GRDB's and SQLite's advice for
    /// WAL) syncs only at checkpoints: an acknowledged write survives a crash or `kill -9` of the
    /// process (it is in the WAL file), but a power cut may lose the last commits. `full` syncs
    /// the WAL at every commit and survives a power cut too, at a price measured here: 8
    /// concurrent writers' p50 from 1 ms to 32 ms (benchmarks/README.md).
    public var sqliteSynchronous: SQLiteSynchronous

    public enum SQLiteSynchronous: String, Sendable, CaseIterable {
        case full = "FULL", normal = "NORMAL"
    }

    public init(bcryptCost: UInt8 = 12, openTimeout: Duration = .seconds(15), sqliteSynchronous: SQLiteSynchronous = .normal,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.bcryptCost = bcryptCost
        self.openTimeout = openTimeout
        self.sqliteSynchronous = sqliteSynchronous
        self.now = now
    }

    func validated() throws -> ClinicStoreOptions {
        guard (4...31).contains(bcryptCost) else {
            throw ClinicStoreError.invalid([FieldProblem(field: "bcrypt_cost", value: String(bcryptCost), expected: "4 to 31")])
        }
        return self
    }
}

/// Values as the store reads them back, so what a write returns equals what a read returns.
enum Stored {
    /// A time rounded to the millisecond, the columns' resolution.
    static func date(_ d: Date) -> Date { Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000).rounded() / 1000) }
}
